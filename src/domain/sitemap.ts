/**
 * Sitemaps (https://www.sitemaps.org/protocol.html) and robots.txt (RFC 9309) of the public
 * catalogue: every published record's page once, in parts of at most 50,000 URLs under a
 * sitemap index. Pure: the service reads the store.
 */
import { element, escapeXml } from './xml.js';

/** The protocol's ceiling on the URLs of one sitemap file. */
export const SITEMAP_MAX_URLS = 50_000;
const NAMESPACE = 'http://www.sitemaps.org/schemas/sitemap/0.9';

/** The public page of a record (what crawlers index and people cite). */
export const recordPageUrl = (baseUrl: string, censusNumber: string): string => `${baseUrl}/records/${censusNumber}`;
export const sitemapPartUrl = (baseUrl: string, part: number): string => `${baseUrl}/sitemap-${part}.xml`;

/** The index: one entry per part, numbered from 1, with the newest lastmod of each. */
export function sitemapIndexXml(baseUrl: string, parts: readonly { lastmod: string | null }[]): string {
  const entries = parts.map((p, i) => element('sitemap', {}, element('loc', {}, escapeXml(sitemapPartUrl(baseUrl, i + 1))) + (p.lastmod ? element('lastmod', {}, p.lastmod) : '')));
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element('sitemapindex', { xmlns: NAMESPACE }, entries.join('\n'))}\n`;
}

export function sitemapXml(baseUrl: string, records: readonly { censusNumber: string; datestamp: string }[]): string {
  const entries = records.map((r) => element('url', {}, element('loc', {}, escapeXml(recordPageUrl(baseUrl, r.censusNumber))) + element('lastmod', {}, r.datestamp)));
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element('urlset', { xmlns: NAMESPACE }, entries.join('\n'))}\n`;
}

/** The staff pages served as they are (public/{name}.html at /{name}): no crawler's business. */
export const STAFF_PAGES = ['login', 'review', 'import', 'upload', 'admin', 'account'] as const;

/**
 * Crawlers may read the public pages, the records' JSON and the IIIF manifests; staff pages, the
 * rest of the API, OAI-PMH (for harvesters, which do not read robots.txt) and image tiles (many
 * thousands per book, rendered on demand) are left alone.
 */
export function robotsTxt(baseUrl: string): string {
  return [
    'User-agent: *',
    'Allow: /api/records/',
    'Disallow: /api/',
    'Disallow: /oai',
    'Disallow: /iiif/3/',
    ...[...STAFF_PAGES.map((name) => `/${name}`), '/register', '/records/*/edit'].map((p) => `Disallow: ${p}`),
    'Allow: /',
    '',
    `Sitemap: ${baseUrl}/sitemap.xml`,
    '',
  ].join('\n');
}
