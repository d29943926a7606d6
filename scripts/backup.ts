/**
 * npm run backup -- --to DIR [--with-derivatives] [--keep N]
 *
 * A consistent backup of DATA_DIR while the service runs (src/services/backup-service.ts;
 * README, Backup and restore): the catalogue as of one moment, the masters the backup does not
 * hold yet, the derivatives with --with-derivatives, and a manifest written last. Keeps the N
 * newest backups' catalogues (3 unless told). Exits 1 when the backup failed or left something
 * out (listed), 2 on a usage or configuration error.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createStore } from '../src/adapters/create-adapters.js';
import { FileScanStore } from '../src/adapters/embedded/scan-files.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { BackupError, BackupService } from '../src/services/backup-service.js';

const usage = 'usage: npm run backup -- --to DIR [--with-derivatives] [--keep N]';
const args = process.argv.slice(2);
const value = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
};
const to = value('to');
const keep = Number(value('keep') ?? 3);
const known = new Set(['--to', to, '--with-derivatives', '--keep', value('keep')]);
if (!to || !Number.isInteger(keep) || keep < 1 || args.some((a) => !known.has(a))) {
  console.error(usage);
  process.exit(2);
}

try {
  const config = loadConfig(process.env);
  if (!existsSync(config.dataDir)) throw new BackupError(`DATA_DIR ${config.dataDir} does not exist`);
  if (path.resolve(to).startsWith(config.dataDir + path.sep) || path.resolve(to) === config.dataDir) {
    throw new BackupError(`the backup cannot go inside DATA_DIR (${config.dataDir})`);
  }
  const store = await createStore(config);
  try {
    const service = new BackupService(store, new FileScanStore(config.dataDir), (line) => console.log(`backup: ${line}`));
    const report = await service.backup(path.resolve(to), { withDerivatives: args.includes('--with-derivatives'), keep });
    for (const problem of report.problems) console.error(`backup: ${problem}`);
    const m = report.manifest;
    console.log(
      `backup: done in ${report.seconds.toFixed(1)} s → ${path.join(path.resolve(to), m.snapshot)}: ` +
        `${m.catalogue ? `${m.catalogue.records} records, ` : 'no catalogue (MongoDB: use mongodump), '}` +
        `${m.masters.length} masters (${report.mastersCopied} new), ${m.derivatives ? `${m.derivatives.length} images' derivatives` : 'no derivatives'}; search index: rebuilt on restore`,
    );
    process.exitCode = report.problems.length > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : e instanceof BackupError ? `backup failed: ${e.message}` : e);
  process.exitCode = e instanceof ConfigError ? 2 : 1;
}
