/**
 * npm run import -- <file.csv|file.xlsx> [--dry-run] [--as <username>]
 *
 * Imports a census spreadsheet through the same checks as the API, with a progress bar and a
 * report of every rejected row. Exits 1 when a row was rejected, 2 on a usage error.
 */
import { Presets, SingleBar } from 'cli-progress';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createAdapters } from '../src/adapters/create-adapters.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { AppError } from '../src/domain/errors.js';
import { createServices } from '../src/services/services.js';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  if (i !== -1) args.splice(i, 1);
  return i !== -1;
};
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  if (i === -1) return undefined;
  const [, value] = args.splice(i, 2);
  return value;
};
const dryRun = flag('dry-run');
const as = option('as');
const file = args[0];
const format = file ? path.extname(file).toLowerCase().slice(1) : '';
if (!file || !existsSync(file) || (format !== 'csv' && format !== 'xlsx')) {
  console.error(`Not a .csv or .xlsx file: ${file ?? '(none given)'}\nusage: npm run import -- <file.csv|file.xlsx> [--dry-run] [--as <username>]`);
  process.exit(2);
}

try {
  const config = loadConfig(process.env);
  const adapters = await createAdapters(config);
  const services = createServices(adapters, config);
  const user = await adapters.store.users.get(as ?? config.adminUser);
  if (!user) {
    console.error(`No user ${as ?? config.adminUser} (--as <username>)`);
    process.exit(2);
  }
  const bar = new SingleBar({ format: 'import [{bar}] {percentage}% · row {rows}', hideCursor: true }, Presets.shades_classic);
  bar.start(100, 0, { rows: 0 });
  const report = await services.sheets.import({ username: user.username, role: user.role, unit: user.unit }, file, format, {
    dryRun,
    onProgress: ({ rows, read }) => bar.update(Math.floor(read * 100), { rows }),
  });
  bar.stop();
  for (const p of report.problems) console.log(`row ${p.row}${p.column ? ` 「${p.column}」` : ''}: ${p.problem}`);
  if (report.ignoredColumns.length) console.log(`ignored columns: ${report.ignoredColumns.join(', ')}`);
  console.log(
    `${dryRun ? 'dry run: would have ' : ''}${report.rows} rows: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected} rejected`,
  );
  await services.indexer.catchUp();
  await Promise.all([adapters.store.close(), adapters.search.close()]);
  process.exit(report.rejected > 0 ? 1 : 0);
} catch (e) {
  console.error(e instanceof ConfigError || e instanceof AppError ? e.message : e);
  process.exit(e instanceof AppError ? 1 : 2);
}
