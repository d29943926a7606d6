/**
 * npm run bag -- <censusNumber> <folder> — writes a BagIt (RFC 8493) bag of a digitized record
 * into <folder> (new, or empty): its masters under their stored SHA-256, the record as JSON,
 * MODS and MARCXML, the IIIF manifest, and the tag files. Whoever can run this can read the data
 * directory, so it acts as the admin account. Exit 0 when the bag is written, 1 when refused
 * (no such record, no scans, folder not empty, a master missing), 2 on a configuration problem.
 */
import path from 'node:path';
import { createAdapters } from '../src/adapters/create-adapters.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { AppError } from '../src/domain/errors.js';
import { createServices } from '../src/services/services.js';

const [censusNumber, folder] = process.argv.slice(2);
if (!censusNumber || !folder) {
  console.error('Usage: npm run bag -- <censusNumber> <folder>');
  process.exit(1);
}
let config;
try {
  config = loadConfig(process.env);
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(2);
}
const adapters = await createAdapters(config);
const services = createServices(adapters, config);
let status = 0;
try {
  const files = await services.sharing.bag({ username: config.adminUser, role: 'admin', unit: null }, censusNumber);
  const target = path.resolve(folder);
  await services.sharing.writeBagFolder(files, target);
  const payload = files.filter((f) => f.path.startsWith('data/'));
  console.log(`bag of ${censusNumber} written to ${target}: ${payload.length} payload files, ${payload.reduce((n, f) => n + f.bytes, 0)} bytes`);
} catch (e) {
  if (!(e instanceof AppError)) throw e;
  console.error(`bag: ${e.message}`);
  status = 1;
} finally {
  await Promise.all([adapters.store.close(), adapters.search.close()]);
}
process.exit(status);
