/**
 * npm run rederive [-- <imageId> …] — makes every image's derivatives again from its master
 * (after a change of tile size or quality, or to repair them). Each image's new derivatives
 * replace the old ones in one rename.
 */
import { Presets, SingleBar } from 'cli-progress';
import { createAdapters } from '../src/adapters/create-adapters.js';
import { ConfigError, loadConfig } from '../src/config.js';

try {
  const config = loadConfig(process.env);
  const adapters = await createAdapters(config);
  const wanted = new Set(process.argv.slice(2));
  const masters: [string, string][] = [];
  for await (const master of adapters.files.masters()) if (wanted.size === 0 || wanted.has(master[0])) masters.push(master);
  const bar = new SingleBar({ format: 'rederive [{bar}] {value}/{total}' }, Presets.shades_classic);
  bar.start(masters.length, 0);
  let failed = 0;
  for (const [sha, file] of masters) {
    try {
      await adapters.files.writeDerivatives(sha, (folder) => adapters.images.derive(file, folder));
    } catch (e) {
      failed += 1;
      console.error(`\n${sha}: ${(e as Error).message}`);
    }
    bar.increment();
  }
  bar.stop();
  await adapters.files.sweep();
  console.log(`rederive: ${masters.length - failed} images made again, ${failed} failed`);
  await Promise.all([adapters.store.close(), adapters.search.close()]);
  process.exit(failed > 0 ? 1 : 0);
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(2);
}
