/**
 * A data directory prepared the way a user would: the admin, a unit and a record made through
 * the services by a separate process (as `npm start` would), for tests of the command-line tools.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RecordFields } from '../../src/domain/census-record.js';

export const root = path.resolve(import.meta.dirname, '../..');

export function toolEnv(dataDir: string): NodeJS.ProcessEnv {
  return { ...process.env, DATA_DIR: dataDir, GUJI_DEMO: '0', GUJI_ADMIN_PASSWORD: 'census-office-1' };
}

/** Runs a TypeScript entry point of the project (ingest/cli.ts, scripts/fixity.ts …) as npm would. */
export function runTool(dataDir: string, entry: string, ...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: root, env: toolEnv(dataDir), encoding: 'utf8' });
}

export function dataDirWithRecord(record: RecordFields): string {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'guji-tools-'));
  const setup = `
    import { createAdapters } from '${root}/src/adapters/create-adapters.js';
    import { loadConfig } from '${root}/src/config.js';
    import { createServices } from '${root}/src/services/services.js';
    const config = loadConfig(process.env);
    const adapters = await createAdapters(config);
    const services = createServices(adapters, config);
    await services.auth.bootstrapAdmin(config.adminUser, config.adminPassword);
    const admin = { username: 'admin', role: 'admin', unit: null };
    await services.units.create(admin, { province: '430000', code: '${record.holdingUnit}', name: '资阳区图书馆' });
    await services.records.register(admin, ${JSON.stringify(record)});
    await Promise.all([adapters.store.close(), adapters.search.close()]);`;
  writeFileSync(path.join(dataDir, 'setup.mts'), setup);
  const made = runTool(dataDir, path.join(dataDir, 'setup.mts'));
  if (made.status !== 0) throw new Error(`setting up ${dataDir} failed:\n${made.stderr}`);
  return dataDir;
}
