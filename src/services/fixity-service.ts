/**
 * Fixity (npm run fixity): every master hashed again and compared with the checksum it was kept
 * under (its name), and every page the catalogue has checked for its master. A scheduler alerts
 * on the problems.
 */
import type { CatalogueStore } from '../ports/catalogue-store.js';
import type { ScanFileStore } from '../ports/scan-files.js';

export interface FixityReport {
  /** Masters hashed again. */
  masters: number;
  /** Records whose pages were checked. */
  records: number;
  /** One line per problem: a master that hashes otherwise, or a page whose master is missing. */
  problems: string[];
}

export class FixityService {
  constructor(
    private readonly store: CatalogueStore,
    private readonly files: ScanFileStore,
  ) {}

  async check(): Promise<FixityReport> {
    const report: FixityReport = { masters: 0, records: await this.store.records.count(), problems: [] };
    const seen = new Set<string>();
    for await (const [sha, file] of this.files.masters()) {
      seen.add(sha);
      report.masters += 1;
      const actual = await this.files.sha256(file);
      if (actual !== sha) report.problems.push(`MISMATCH ${file}: kept as ${sha}, now hashes to ${actual}`);
    }
    // Masters the catalogue refers to must exist.
    for (let seq = 0, batch; (batch = await this.store.records.changesSince(seq, 500)).length > 0; seq = batch.at(-1)!.seq) {
      for (const { record } of batch) {
        for (const page of await this.store.pages.list(record.fields.censusNumber)) {
          if (!seen.has(page.imageId)) report.problems.push(`MISSING master ${page.imageId} of ${page.censusNumber} page ${page.sequence} (${page.filename})`);
        }
      }
    }
    return report;
  }
}
