/**
 * schema.org description of a record for search engines (issue 17), as JSON-LD.
 *
 * The thing described is one held copy of a book, so it is typed `Book` and `ArchiveComponent`
 * (schema.org's multi-typed entities; ArchiveComponent is "designed to be used with one or more
 * other types" so that an item held by an institution can say who holds it): `holdingArchive`
 * names the collecting unit as an ArchiveOrganization. No `offers`: nothing is for sale or loan.
 * - name: the 题名卷数 as written; alternateName the title proper.
 * - author / editor / translator / illustrator / contributor: each person through a schema.org
 *   `Role` carrying the 著作方式 as written (roleName), mapped as the CSL export maps it
 *   (src/exports/citation.ts cslRole; a compiler, whom schema.org has no property for, as editor);
 *   the person's dynasty in alternateName, their page in url.
 * - datePublished (dateCreated for a manuscript): the copy's Western year, only when the
 *   statement gives one year; a reign era or dynasty is a span, which a schema.org Date cannot
 *   say — the edition statement (bookEdition) keeps it as written.
 * - identifier: the census number and the call number as PropertyValues.
 * - image: the first leaf's IIIF thumbnail when digitized; url: the record page.
 */
import type { CensusRecord } from '../../domain/census-record.js';
import { cslRole } from '../../exports/citation.js';
import { copyYears, isManuscript, scriptTag } from '../../exports/crosswalk.js';
import { recordPageUrl } from '../../domain/sitemap.js';
import { thumbnailUrl } from '../representations.js';
import { personPath } from './paths.js';

export function recordJsonLd(record: CensusRecord, baseUrl: string, unitName: string): Record<string, unknown> {
  const f = record.fields;
  const d = record.derived;
  const url = recordPageUrl(baseUrl, f.censusNumber);
  const data: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': ['Book', 'ArchiveComponent'],
    '@id': url,
    url,
    name: f.titleStatement,
    ...(d.title.title !== f.titleStatement ? { alternateName: d.title.title } : {}),
    inLanguage: scriptTag(f.titleStatement),
  };
  for (const p of d.creators) {
    const role = cslRole(p);
    const property = role === 'compiler' ? 'editor' : role;
    const person = {
      '@type': 'Person',
      name: p.name,
      ...(p.dynasty ? { alternateName: `（${p.dynasty}）${p.name}` } : {}),
      url: `${baseUrl}${personPath(p.name, p.dynasty)}`,
    };
    ((data[property] ??= []) as unknown[]).push(p.role ? { '@type': 'Role', roleName: p.role, [property]: person } : person);
  }
  data.bookEdition = f.editionStatement;
  const years = copyYears(d.edition.date);
  if (years?.exact) data[isManuscript(record) ? 'dateCreated' : 'datePublished'] = String(years.from);
  if (d.edition.imprint) data.publisher = { '@type': 'Organization', name: d.edition.imprint };
  data.materialExtent = `${f.volumeCount}册`;
  if (f.classification) data.genre = f.classification;
  if (f.abstract) data.description = f.abstract;
  data.identifier = [
    { '@type': 'PropertyValue', propertyID: '全国古籍普查登记编号', name: '普查编号', value: f.censusNumber },
    { '@type': 'PropertyValue', name: '索书号', value: f.callNumber },
  ];
  data.holdingArchive = { '@type': 'ArchiveOrganization', name: unitName };
  if (record.cover) data.image = thumbnailUrl(baseUrl, record.cover);
  return data;
}
