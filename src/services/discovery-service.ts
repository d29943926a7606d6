/**
 * What aggregators and crawlers read besides OAI-PMH: IIIF Change Discovery of the public
 * manifests (src/iiif/activity.ts) and the sitemaps of the public record pages
 * (src/domain/sitemap.ts), both from the store's record of the public catalogue.
 */
import { NotFoundError } from '../domain/errors.js';
import { SITEMAP_MAX_URLS, sitemapIndexXml, sitemapXml } from '../domain/sitemap.js';
import { ACTIVITY_PAGE_SIZE, activityCollection, activityPage, lastActivityPage } from '../iiif/activity.js';
import type { CatalogueStore } from '../ports/catalogue-store.js';

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

  async activity() {
    return activityCollection(this.options.baseUrl, await this.store.records.countPublicChanges({ digitized: true }), this.activityPageSize);
  }

  async activityPage(page: number) {
    const size = this.activityPageSize;
    const total = await this.store.records.countPublicChanges({ digitized: true });
    if (!Number.isInteger(page) || page < 0 || page > lastActivityPage(total, size)) throw new NotFoundError(`Activity page ${page}`);
    const changes = await this.store.records.publicChanges({ digitized: true, offset: page * size, limit: size });
    return activityPage(this.options.baseUrl, page, changes, total, size);
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
