/**
 * npm run reindex — empties the search index and rebuilds it from the catalogue store, with a
 * progress bar. Safe while the service runs: the service's indexer picks up from the same
 * sequence afterwards.
 */
import { SingleBar, Presets } from 'cli-progress';
import { createAdapters } from '../src/adapters/create-adapters.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { createServices } from '../src/services/services.js';

try {
  const config = loadConfig(process.env);
  const adapters = await createAdapters(config);
  const services = createServices(adapters, config);
  const total = await adapters.store.records.count();
  const bar = new SingleBar({ format: 'reindex [{bar}] {value}/{total} records  {eta_formatted} left', etaBuffer: 50 }, Presets.shades_classic);
  const started = Date.now();
  bar.start(total, 0);
  await services.indexer.rebuild((indexed) => bar.update(indexed));
  bar.stop();
  console.log(`Indexed ${total} records from ${adapters.store.description} into ${adapters.search.description} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  await Promise.all([adapters.store.close(), adapters.search.close()]);
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
}
