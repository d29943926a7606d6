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
  tiles: { width: number; scaleFactors: number[] }[];
  limits: ImageLimits;
  /** The master's colour space as sharp names it (`srgb`, `b-w`, `grey16`, `cmyk`…). */
  colorSpace: string;
}

/** Grayscale (and bitonal) masters: libvips's one-band colour spaces. */
const GRAY_SPACES = new Set(['b-w', 'grey16']);

/**
 * The sizes announced: the full image at each tile scale factor but 1, ceil(w/sf)×ceil(h/sf),
 * smallest first — the levels of the pyramid and nothing else. §5.3: sizes are "preferred
 * height and width combinations for representations of the full image", any of which we serve;
 * §5.4: a scale factor of 4 "indicates that the service can efficiently deliver images at 1/4
 * or 25% of the height and width of the full image". OpenSeadragon (Mirador's and the Universal
 * Viewer's engine) takes `sizes` for the widths of its levels when there are as many as the
 * levels the scale factors make (IIIFTileSource, levelSizes), while it still cuts its tile
 * regions by powers of two: a size off the pyramid (the 741×1000 access copy of a 1155×1559
 * page, where 1155/2 is 578) made it ask for `1024,0,131,1024/229,512`, larger than the
 * region and so a 400 (§4.2). At these sizes its requests are the pre-rendered tiles. The
 * access copy and the thumbnail are still answered from their files when asked for exactly.
 */
export function levelSizes(width: number, height: number, tiles: ImageInfoInput['tiles']): { width: number; height: number }[] {
  const factors = [...new Set(tiles.flatMap((t) => t.scaleFactors))].filter((f) => f > 1).sort((a, b) => b - a);
  return factors.map((f) => ({ width: Math.ceil(width / f), height: Math.ceil(height / f) }));
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
    sizes: levelSizes(input.width, input.height, input.tiles).map((s) => ({ type: 'Size', ...s })),
    tiles: input.tiles.map((t) => ({ type: 'Tile', ...t })),
    // §4.4: a request for color on an image with no colour "MUST NOT result in an error", but
    // "The server SHOULD NOT include color in the extraQualities list in such cases".
    extraQualities: GRAY_SPACES.has(input.colorSpace) ? ['gray', 'bitonal'] : ['color', 'gray', 'bitonal'],
    // §5.5: "the preferred format parameter values": JPEG, the format of the pre-rendered
    // tiles and sizes, answered from files without a render.
    preferredFormats: ['jpg'],
    extraFormats: ['png', 'webp'],
    extraFeatures: ['mirroring', 'rotationArbitrary', 'sizeUpscaling', 'regionSquare', 'canonicalLinkHeader', 'profileLinkHeader', 'jsonldMediaType', 'baseUriRedirect', 'cors'],
  };
}
