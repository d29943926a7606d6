/**
 * npm run fixity — re-hashes every master and compares it with the checksum it was kept under
 * (its name) and with every page that refers to it (src/services/fixity-service.ts). Reports
 * mismatches and missing masters and exits 1 when there is any, so a scheduler can alert on it.
 */
import { createAdapters } from '../src/adapters/create-adapters.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { createServices } from '../src/services/services.js';

try {
  const config = loadConfig(process.env);
  const adapters = await createAdapters(config);
  const report = await createServices(adapters, config).fixity.check();
  for (const p of report.problems) console.log(p);
  console.log(`fixity: ${report.masters} masters re-hashed, ${report.records} records checked, ${report.problems.length} problems`);
  await Promise.all([adapters.store.close(), adapters.search.close()]);
  process.exit(report.problems.length > 0 ? 1 : 0);
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(2);
}
