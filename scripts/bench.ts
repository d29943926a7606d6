/**
 * npm run bench — every benchmark, each printing its figures beside a reference measured in the
 * same run on this machine (never a timed test):
 *   store   the embedded catalogue store at 100,000 records (insert, point read, filtered pages)
 *   search  the embedded search index at 300,000 and 1,000,000 records
 *   sheets  census spreadsheet import and export at 100,000 rows, CSV and XLSX, with peak memory
 *   ingest  the sharp scan pipeline against the vips command line (needs libvips-tools and time)
 *   serve   our IIIF image service against IIPImage, iiif-processor and nginx (needs
 *           iipimage-server, nginx-light and spawn-fcgi; `--iip-processes N`, 1 by default)
 *   abuse   a tile, a search and /health while 8 clients send the heaviest image requests and
 *           32 wrong passwords (p99 and the service's RSS, against the same with no abuse)
 *   ocr     OCR of the book1 pages (character error rate, s/page, peak memory) beside PaddleOCR's
 *           whole-page mode and Tesseract
 *   align   a known text laid onto OCR drafts: book1, and a constructed 200,000-character
 *           volume on 300 pages (seconds, CPU seconds, peak memory, pages split right)
 *   text    search inside the books: a generated corpus (`--chars N`, default 10 million, fitted
 *           to the Kanseki texts in `--corpus DIR`), p50/p95 beside a brute-force scan and FTS5 trigram
 * `npm run bench -- store` (or search, sheets, ingest, serve, abuse, ocr, align, text) runs one; `--records N`
 * sets the size of store or search, `--rows N` of sheets, `--pages N` the volume of ingest.
 */
import { benchAbuse } from './bench-abuse.js';
import { benchAlign } from './bench-align.js';
import { benchIngest } from './bench-ingest.js';
import { benchOcr } from './bench-ocr.js';
import { benchSearch } from './bench-search.js';
import { benchServe } from './bench-serve.js';
import { benchSheets } from './bench-sheets.js';
import { benchStore } from './bench-store.js';
import { benchText } from './bench-text.js';

const args = process.argv.slice(2);
const BENCHES = ['store', 'search', 'ingest', 'sheets', 'serve', 'abuse', 'ocr', 'align', 'text'];
const only = args.find((a) => BENCHES.includes(a));
/** An option's value (`--name value`), or undefined. */
const value = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const number = (name: string, fallback: number) => Number(value(name) ?? fallback);
const records = value('--records') === undefined ? undefined : Number(value('--records'));

if (!only || only === 'store') await benchStore(records ?? 100_000);
if (!only || only === 'search') {
  for (const n of records ? [records] : [300_000, 1_000_000]) await benchSearch(n, 100);
}
if (!only || only === 'sheets') await benchSheets(number('--rows', 100_000));
if (!only || only === 'ingest') await benchIngest(number('--pages', 60), 4);
if (!only || only === 'serve') await benchServe(number('--seconds', 5), number('--rounds', 5), number('--iip-processes', 1));
if (!only || only === 'abuse') await benchAbuse(3, 5);
if (!only || only === 'ocr') await benchOcr();
if (!only || only === 'align') await benchAlign();
if (!only || only === 'text') await benchText(number('--chars', 10_000_000), number('--queries', 100), value('--corpus'), number('--rounds', 3));

