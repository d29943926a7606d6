/**
 * info.json of the IIIF Image API 3.0 (https://iiif.io/api/image/3.0/#5-image-information):
 * the image's size, the pre-rendered tiles and sizes viewers should ask for, and what level 2
 * plus the extra features we support allow.
 */
import type { ImageLimits } from './image-request.js';

export interface ImageInfoInput {
  id: string;
  width: number;
  height: number;
  /** Pre-rendered sizes (thumbnail, access copy), smallest first. */
  sizes: { width: number; height: number }[];
  tiles: { width: number; scaleFactors: number[] }[];
  limits: ImageLimits;
}

export const IMAGE_CONTEXT = 'http://iiif.io/api/image/3/context.json';
export const LEVEL2_PROFILE = 'http://iiif.io/api/image/3/level2.json';

export function imageInfo(input: ImageInfoInput) {
  return {
    '@context': IMAGE_CONTEXT,
    id: input.id,
    type: 'ImageService3',
    protocol: 'http://iiif.io/api/image',
    profile: 'level2',
    width: input.width,
    height: input.height,
    maxWidth: input.limits.maxWidth,
    maxHeight: input.limits.maxHeight,
    maxArea: input.limits.maxArea,
    sizes: input.sizes.map((s) => ({ type: 'Size', ...s })),
    tiles: input.tiles.map((t) => ({ type: 'Tile', ...t })),
    extraQualities: ['color', 'gray', 'bitonal'],
    extraFormats: ['png', 'webp'],
    extraFeatures: ['mirroring', 'rotationArbitrary', 'sizeUpscaling', 'regionSquare', 'canonicalLinkHeader', 'profileLinkHeader', 'jsonldMediaType', 'baseUriRedirect', 'cors'],
  };
}
