/**
 * npm run fixity — re-hashes every master and compares it with the checksum it was kept under
 * (its name) and with every page that refers to it. Reports mismatches and missing masters and
 * exits 1 when there is any, so a scheduler can alert on it.
 */
import { createAdapters } from '../src/adapters/create-adapters.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { sha256Of } from '../src/services/scan-service.js';


try {
  const config = loadConfig(process.env);
  const adapters = await createAdapters(config);
  let checked = 0;
  const problems: string[] = [];
  const seen = new Set<string>();
  for await (const [sha, file] of adapters.files.masters()) {
    seen.add(sha);
    checked += 1;
    const actual = await sha256Of(file);
    if (actual !== sha) problems.push(`MISMATCH ${file}: kept as ${sha}, now hashes to ${actual}`);
  }
  // Masters the catalogue refers to must exist.
  const records = await adapters.store.records.count();
  for (let seq = 0, batch; (batch = await adapters.store.records.changesSince(seq, 500)).length > 0; seq = batch.at(-1)!.seq) {
    for (const { record } of batch) {
      for (const page of await adapters.store.pages.list(record.fields.censusNumber)) {
        if (!seen.has(page.imageId)) problems.push(`MISSING master ${page.imageId} of ${page.censusNumber} page ${page.sequence} (${page.filename})`);
      }
    }
  }
  for (const p of problems) console.log(p);
  console.log(`fixity: ${checked} masters re-hashed, ${records} records checked, ${problems.length} problems`);
  await Promise.all([adapters.store.close(), adapters.search.close()]);
  process.exit(problems.length > 0 ? 1 : 0);
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(2);
}
