/** Record versions on the wire (ETag, If-Match) and the addresses of thumbnails. */
import type { Request } from 'express';
import type { CensusRecord } from '../domain/census-record.js';
import { PreconditionRequiredError, VersionMismatchError } from '../domain/errors.js';

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
