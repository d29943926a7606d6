/**
 * npm run rederive-records [-- --dry-run] [-- --all] — derives every record's structure (title,
 * persons, edition events and dates, 存卷 …) again from its statements as written, after a change
 * of the parsers or the vocabulary, with a progress bar, and reports what changed: how many
 * records, which derived parts, and the edition dates that moved. Each changed record gets a new
 * version and a `rederive` history entry; the search index catches up from the store as after any
 * write (run `npm run reindex` to rebuild it at once). `--dry-run` writes nothing; `--all` lists
 * every changed record instead of the first 20.
 */
import { Presets, SingleBar } from 'cli-progress';
import { createAdapters } from '../src/adapters/create-adapters.js';
import { ConfigError, loadConfig } from '../src/config.js';
import type { EditionStructure } from '../src/domain/edition-statement.js';
import type { HistoricalDate } from '../src/domain/historical-date.js';
import { createServices } from '../src/services/services.js';

const span = (d: HistoricalDate | null | undefined) => (d && d.gregorianFrom !== null ? `${d.gregorianFrom}–${d.gregorianTo}` : '—');

/** One line for a changed edition: its type and the copy's years, before → after. */
function editionLine(before: EditionStructure | null, after: EditionStructure | null): string {
  const b = `${before?.type ?? '—'} ${span(before?.date)}`;
  const a = `${after?.type ?? '—'} ${span(after?.date)}`;
  return b === a ? 'edition structure' : `edition ${b} → ${a}`;
}

try {
  const dryRun = process.argv.includes('--dry-run');
  const all = process.argv.includes('--all');
  const config = loadConfig(process.env);
  const adapters = await createAdapters(config);
  const services = createServices(adapters, config);
  const bar = new SingleBar({ format: 'rederive-records [{bar}] {value}/{total} records  {eta_formatted} left', etaBuffer: 50 }, Presets.shades_classic);
  bar.start(await adapters.store.records.count(), 0);
  const report = await services.records.rederiveAll({ dryRun, onProgress: (done, total) => {
    bar.setTotal(total);
    bar.update(done);
  } });
  bar.stop();
  // The index learns the new years and types before the store closes.
  if (!dryRun) await services.indexer.catchUp();

  const byPart = new Map<string, number>();
  for (const { changes } of report.changed) for (const c of changes) byPart.set(c.field, (byPart.get(c.field) ?? 0) + 1);
  const parts = [...byPart].sort((a, b) => b[1] - a[1]).map(([field, n]) => `${field} ${n}`).join(', ');
  console.log(
    `rederive-records: ${report.total} records read, ${report.changed.length} ${dryRun ? 'would change' : 'changed'}` +
      (parts ? ` (${parts})` : '') +
      (report.editedMeanwhile ? `, ${report.editedMeanwhile} edited meanwhile (already derived by the edit)` : ''),
  );
  for (const { censusNumber, changes } of all ? report.changed : report.changed.slice(0, 20)) {
    const edition = changes.find((c) => c.field === 'derived.edition');
    const others = changes.filter((c) => c !== edition).map((c) => c.field.replace(/^derived\./, ''));
    const line = [edition ? editionLine(edition.before as EditionStructure | null, edition.after as EditionStructure | null) : null, ...others].filter(Boolean);
    console.log(`  ${censusNumber}: ${line.join('; ')}`);
  }
  if (!all && report.changed.length > 20) console.log(`  … and ${report.changed.length - 20} more (--all lists them)`);
  await Promise.all([adapters.store.close(), adapters.search.close()]);
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(2);
}
