/**
 * npm run ingest -- <folder> --record <censusNumber> [--as <username>]
 *
 * Ingests a folder of scans into a record through the same pipeline as uploads, with a progress
 * bar and a report of every file. Re-running it skips the pages already done. Exits 1 when a
 * file was refused or failed, 2 on a usage error.
 */
import { Presets, SingleBar } from 'cli-progress';
import { existsSync, statSync } from 'node:fs';
import { createAdapters } from '../src/adapters/create-adapters.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { censusNumberProblem } from '../src/domain/census-number.js';
import { createServices } from '../src/services/services.js';
import { readFolder } from './folder.js';

function usage(message: string): never {
  console.error(`${message}\nusage: npm run ingest -- <folder> --record <censusNumber> [--as <username>]`);
  process.exit(2);
}

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  if (i === -1) return undefined;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
};
const censusNumber = option('record');
const as = option('as');
const folder = args[0];
if (!folder || !existsSync(folder) || !statSync(folder).isDirectory()) usage(`Not a folder: ${folder ?? '(none given)'}`);
if (!censusNumber) usage('Name the record: --record <censusNumber>');
const problem = censusNumberProblem(censusNumber);
if (problem) usage(`--record ${censusNumber}: ${problem}`);

try {
  const config = loadConfig(process.env);
  const adapters = await createAdapters(config);
  const services = createServices(adapters, config);
  const username = as ?? config.adminUser;
  const user = await adapters.store.users.get(username);
  if (!user) usage(`No user ${username} (--as <username>)`);
  const actor = { username: user.username, role: user.role, unit: user.unit };

  const batch = await readFolder(folder);
  for (const name of batch.missing) console.error(`pages.csv names ${name}, which is not in ${folder}`);
  const { job, batch: ordered } = await services.scans.createJob(actor, censusNumber, batch.files, batch.ordered);
  const bar = new SingleBar({ format: 'ingest [{bar}] {value}/{total} {file}', hideCursor: true }, Presets.shades_classic);
  bar.start(ordered.length, 0, { file: '' });
  const done = await services.scans.run(actor, job, ordered, (file, i) => bar.update(i + 1, { file: file.filename }));
  bar.stop();

  for (const f of done.files) {
    const where = f.sequence ? `page ${f.sequence}` : '';
    console.log(`${f.outcome.padEnd(8)} ${f.filename}${where ? `  ${where}` : ''}${f.reason ? `  — ${f.reason}` : ''}`);
  }
  const count = (o: string) => done.files.filter((f) => f.outcome === o).length;
  console.log(`job ${done.id}: ${count('ingested')} ingested, ${count('skipped')} skipped, ${count('refused')} refused, ${count('failed')} failed`);
  await services.indexer.catchUp();
  // With GUJI_OCR=1 the new pages are being read (their text drafted): let that finish.
  if (config.ocr.auto && count('ingested') > 0) console.log('reading the text of the new pages (GUJI_OCR=0 skips this)…');
  await services.texts.settled();
  await services.texts.stop('the ingest ended');
  await Promise.all([adapters.store.close(), adapters.search.close(), adapters.texts.close()]);
  process.exit(count('refused') + count('failed') + batch.missing.length > 0 ? 1 : 0);
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : e instanceof Error ? e.message : e);
  process.exit(1);
}
