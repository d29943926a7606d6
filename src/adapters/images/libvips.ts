/**
 * libvips's thread count, which is one setting for the whole process. glibc builds of sharp
 * default to one thread (PERFORMANCE.md, note 6), and that suits serving: image requests already
 * run side by side, and a second thread per 256-px region cost a fifth of the throughput. Ingest
 * is the opposite — one large page at a time, whose JPEG tiles decode in parallel — so while a
 * page is derived libvips may use every core (1.5× the pages per minute on two cores).
 */
import { availableParallelism } from 'node:os';
import sharp from 'sharp';

let deriving = 0;

export async function withAllCores<T>(work: () => Promise<T>): Promise<T> {
  if (deriving++ === 0) sharp.concurrency(availableParallelism());
  try {
    return await work();
  } finally {
    if (--deriving === 0) sharp.concurrency(1);
  }
}
