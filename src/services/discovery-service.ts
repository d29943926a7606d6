/**
 * What aggregators and crawlers read besides OAI-PMH: IIIF Change Discovery of the public
 * manifests and their collections (src/iiif/activity.ts) and the sitemaps of the public record pages
 * (src/domain/sitemap.ts), both from the store's record of the public catalogue.
 */
import { NotFoundError } from '../domain/errors.js';
import { SITEMAP_MAX_URLS, sitemapIndexXml, sitemapXml } from '../domain/sitemap.js';
import { ACTIVITY_PAGE_SIZE, activityCollection, ActivityDerivation, activityPage, activityStream, lastActivityPage, type ActivityEntry } from '../iiif/activity.js';
import type { CatalogueStore } from '../ports/catalogue-store.js';

/** Log entries read per query while catching up. */
const LOG_BATCH = 1000;

export class DiscoveryService {
  constructor(
    private readonly store: CatalogueStore,
    private readonly options: { baseUrl: string; activityPageSize?: number; sitemapPartSize?: number },
  ) {}

  private get activityPageSize() {
    return this.options.activityPageSize ?? ACTIVITY_PAGE_SIZE;
  }

  private get sitemapPartSize() {
    return this.options.sitemapPartSize ?? SITEMAP_MAX_URLS;
  }

  /**
   * The activities derived so far from the store's change log, and how many log entries they
   * cover. The log is append-only, so the derivation only reads what was appended since; it is a
   * cache of the stored log, rebuilt the same from it after a restart. A log shorter than what was
   * read (a catalogue restored from a backup) starts it again.
   */
  private derivation = new ActivityDerivation();
  private derived = 0;
  private catchingUp: Promise<void> = Promise.resolve();

  private async stream(): Promise<ActivityEntry[]> {
    // One reader of the log at a time: two requests must not apply the same changes twice.
    const caughtUp = this.catchingUp.then(() => this.catchUp());
    this.catchingUp = caughtUp.catch(() => undefined);
    await caughtUp;
    const units = await this.store.units.list();
    const edits = units.flatMap((u) => (u.collectionChanges ?? []).map((c) => ({ unit: `${u.province}-${u.code}`, ...c })));
    return activityStream(this.derivation, edits);
  }

  private async catchUp(): Promise<void> {
    const total = await this.store.records.countPublicChanges({ digitized: true });
    if (total < this.derived) [this.derivation, this.derived] = [new ActivityDerivation(), 0];
    while (this.derived < total) {
      const changes = await this.store.records.publicChanges({ digitized: true, offset: this.derived, limit: LOG_BATCH });
      if (changes.length === 0) break;
      for (const change of changes) this.derivation.apply(change);
      this.derived += changes.length;
    }
  }

  async activity() {
    return activityCollection(this.options.baseUrl, (await this.stream()).length, this.activityPageSize);
  }

  async activityPage(page: number) {
    const size = this.activityPageSize;
    const stream = await this.stream();
    if (!Number.isInteger(page) || page < 0 || page > lastActivityPage(stream.length, size)) throw new NotFoundError(`Activity page ${page}`);
    return activityPage(this.options.baseUrl, page, stream.slice(page * size, (page + 1) * size), stream.length, size);
  }

  /** The sitemap index: one part per SITEMAP_MAX_URLS published records (one, empty, when there are none). */
  async sitemapIndex(): Promise<string> {
    const total = await this.store.records.countPublicRecords({ deleted: false });
    const parts = Math.max(1, Math.ceil(total / this.sitemapPartSize));
    return sitemapIndexXml(this.options.baseUrl, Array.from({ length: parts }, () => ({ lastmod: null })));
  }

  /** Part `part` (from 1): published records in census-number order. */
  async sitemap(part: number): Promise<string> {
    const size = this.sitemapPartSize;
    const total = await this.store.records.countPublicRecords({ deleted: false });
    if (!Number.isInteger(part) || part < 1 || part > Math.max(1, Math.ceil(total / size))) throw new NotFoundError(`Sitemap part ${part}`);
    const records = await this.store.records.publicRecords({ deleted: false, offset: (part - 1) * size, limit: size });
    return sitemapXml(this.options.baseUrl, records);
  }
}
