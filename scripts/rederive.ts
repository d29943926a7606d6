/**
 * npm run rederive [-- <imageId> …] — makes every image's derivatives again from its master
 * (after a change of tile size or quality, or to repair them): src/services/derivative-service.ts.
 * Each image's new derivatives replace the old ones in one rename.
 */
import { Presets, SingleBar } from 'cli-progress';
import { createAdapters } from '../src/adapters/create-adapters.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { createServices } from '../src/services/services.js';

try {
  const config = loadConfig(process.env);
  const adapters = await createAdapters(config);
  const { derivatives } = createServices(adapters, config);
  const masters = await derivatives.masters(new Set(process.argv.slice(2)));
  const bar = new SingleBar({ format: 'rederive [{bar}] {value}/{total}' }, Presets.shades_classic);
  bar.start(masters.length, 0);
  const report = await derivatives.rederive(masters, (imageId, failure) => {
    if (failure) console.error(`\n${imageId}: ${failure}`);
    bar.increment();
  });
  bar.stop();
  console.log(`rederive: ${report.made} images made again, ${report.failed.length} failed`);
  await Promise.all([adapters.store.close(), adapters.search.close()]);
  process.exit(report.failed.length > 0 ? 1 : 0);
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(2);
}
