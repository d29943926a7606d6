/** How records look on the wire: the fields as written, then what the service derived and knows. */
import type { Request } from 'express';
import type { CensusRecord } from '../domain/census-record.js';
import { PreconditionRequiredError, VersionMismatchError } from '../domain/errors.js';
import { manifestId } from '../iiif/manifest.js';

export const etagOf = (record: Pick<CensusRecord, 'version'>): string => `"v${record.version}"`;

/** The version an If-Match header names, or undefined when it names none we issued. */
export function versionFromIfMatch(header: string | undefined): number | undefined {
  const m = header ? /^\s*(?:W\/)?"v(\d+)"\s*$/.exec(header) : null;
  return m ? Number(m[1]) : undefined;
}

/** The version an update must apply to: If-Match is required (428), and must be one we issued (412). */
export function requiredVersion(req: Request): number {
  const ifMatch = req.get('if-match');
  if (!ifMatch) throw new PreconditionRequiredError();
  const expected = versionFromIfMatch(ifMatch);
  if (expected === undefined) throw new VersionMismatchError();
  return expected;
}

/** The pre-made thumbnail of a page (the image service answers `!200,200` from it directly). */
export const thumbnailUrl = (baseUrl: string, imageId: string) => `${baseUrl}/iiif/3/${imageId}/full/!200,200/0/default.jpg`;

export function recordResource(record: CensusRecord, baseUrl: string) {
  const self = `${baseUrl}/api/records/${record.fields.censusNumber}`;
  return {
    ...record.fields,
    ...(Object.keys(record.corrections).length > 0 ? { corrections: record.corrections } : {}),
    derived: record.derived,
    status: record.status,
    pageCount: record.pageCount ?? 0,
    version: record.version,
    createdAt: record.createdAt,
    createdBy: record.createdBy,
    updatedAt: record.updatedAt,
    updatedBy: record.updatedBy,
    links: {
      self,
      history: `${self}/history`,
      ...((record.pageCount ?? 0) > 0 ? { manifest: manifestId(baseUrl, record.fields.censusNumber) } : {}),
      ...(record.cover ? { thumbnail: thumbnailUrl(baseUrl, record.cover) } : {}),
    },
  };
}
