/**
 * Which process runs a job, shared by scan batches and imports: at start, the jobs of a process
 * that is gone are ended (ScanService.recover, SheetService.recover), and those of a live one —
 * `npm run ingest` beside the service — are left to it.
 */
import { hostname } from 'node:os';
import type { JobRunner } from '../ports/catalogue-store.js';

/** This process, as the runner of the jobs it starts. */
export const RUNNER: JobRunner = { host: hostname(), pid: process.pid };

/**
 * Whether the process that ran a job may still be running it. A job without a runner, or run by
 * this process's pid (a container restarts as pid 1 again) before this process ran any, is not.
 * Another host's jobs cannot be told apart here: they are left to that host.
 */
export function runnerAlive(runner: JobRunner | undefined): boolean {
  if (!runner || (runner.host === RUNNER.host && runner.pid === RUNNER.pid)) return false;
  if (runner.host !== RUNNER.host) return true;
  try {
    process.kill(runner.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A job as its reader sees it: which process runs it is the service's business. */
export function shownJob<T extends { runner?: JobRunner }>(job: T): Omit<T, 'runner'> {
  const { runner: _, ...shown } = job;
  return shown;
}
