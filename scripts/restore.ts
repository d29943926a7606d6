/**
 * npm run restore -- --from DIR
 *
 * Restores the latest backup in DIR (npm run backup) into an empty DATA_DIR: every checksum
 * verified, the schema brought up to date, derivatives copied or made again, the search index
 * rebuilt (src/services/backup-service.ts; README, Backup and restore). Refuses a DATA_DIR that
 * holds anything. Exits 1 when the restore failed or something could not be made again (listed),
 * 2 on a usage or configuration error.
 */
import path from 'node:path';
import { CATALOGUE_FILE, createAdapters } from '../src/adapters/create-adapters.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { BackupError, restoreBackup } from '../src/services/backup-service.js';
import { createServices } from '../src/services/services.js';

const args = process.argv.slice(2);
const from = args[0] === '--from' && args.length === 2 ? args[1] : undefined;
if (!from) {
  console.error('usage: npm run restore -- --from DIR');
  process.exit(2);
}

try {
  const config = loadConfig(process.env);
  const log = (line: string) => console.log(`restore: ${line}`);
  const report = await restoreBackup(
    path.resolve(from),
    {
      dataDir: config.dataDir,
      catalogueFile: config.mongodbUri ? null : path.join(config.dataDir, CATALOGUE_FILE),
      open: async () => {
        const adapters = await createAdapters(config);
        const services = createServices(adapters, { ...config, log: (message, error) => console.error(message, error) });
        return { ...adapters, indexer: services.indexer, close: async () => void (await Promise.all([adapters.store.close(), adapters.search.close(), adapters.texts.close()])) };
      },
    },
    log,
  );
  for (const problem of report.problems) console.error(`restore: ${problem}`);
  log(
    `done in ${report.seconds.toFixed(1)} s into ${config.dataDir}: ${report.records ?? 'no'} records, ${report.masters} masters, ` +
      `derivatives ${report.derivativesCopied} copied and ${report.derivativesMade} made, ${report.indexed} records indexed`,
  );
  process.exitCode = report.problems.length > 0 ? 1 : 0;
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : e instanceof BackupError ? `restore refused: ${e.message}` : e);
  process.exitCode = e instanceof ConfigError ? 2 : 1;
}
