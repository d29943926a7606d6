/**
 * IIIF Image API 3.0 and Presentation API 3.0 requests. Their answers are the specifications'
 * documents (built in src/iiif/), described here by their top level and the specification's URL.
 */
import { z } from 'zod';
import { censusNumber } from './common.js';

export const ImageParams = z.object({ imageId: z.string().meta({ description: "The master's SHA-256" }) });
/** §4 of the Image API: checked by src/iiif/image-request.ts (400 bad_image_request). */
export const ImageRequestParams = ImageParams.extend({
  region: z.string().meta({ description: 'full, square, x,y,w,h or pct:x,y,w,h (§4.1)' }),
  size: z.string().meta({ description: 'max, w,, ,h, pct:n, w,h or !w,h, each optionally ^ (§4.2)' }),
  rotation: z.string().meta({ description: '0, 90, 180 or 270, optionally ! for a mirror image (§4.3)' }),
  qualityFormat: z.string().meta({ description: '{quality}.{format}: default, color or gray; jpg, png or webp (§4.4, §4.5)' }),
});
export const ManifestParams = z.object({ censusNumber });
export const CollectionPartParams = z.object({ part: z.string().meta({ description: 'The part, a whole number from 1' }) });
export const WorkParams = z.object({ work: z.string() });
export const UnitCollectionParams = z.object({ unit: z.string().meta({ description: 'The unit key PPPPPP-UUUU' }) });
export const DivisionCollectionParams = z.object({ division: z.string().meta({ description: 'A 四部 division as classified, e.g. 經部' }) });

const document = (spec: string) => z.looseObject({ '@context': z.unknown(), id: z.string(), type: z.string() }).meta({ description: spec });
export const ImageInfoSchema = z
  .looseObject({ '@context': z.unknown(), id: z.string(), type: z.literal('ImageService3'), width: z.number(), height: z.number() })
  .meta({ description: 'https://iiif.io/api/image/3.0/#5-image-information' });
export const ManifestSchema = document('https://iiif.io/api/presentation/3.0/#52-manifest');
export const CollectionSchema = document('https://iiif.io/api/presentation/3.0/#51-collection');

/** A canvas (its place, from 1) or a range of a record's manifest, dereferenced on its own. */
export const CanvasPartParams = z.object({ censusNumber: z.string(), key: z.string() });
