// @ts-check
// IIIF Content State API 1.0 (https://iiif.io/api/content-state/1.0/): "this page, this region
// of this book", passed between viewers and sites in the `iiif-content` query parameter. Pure, so
// that test/unit/content-state.test.ts can try it on hostile values; the viewer page and the
// record page import it as it is.

/** Longest `iiif-content` value read: a content state naming a region is a few hundred characters. */
export const MAX_CONTENT_STATE_LENGTH = 4096;
/** Deepest nesting read: Annotation → target → SpecificResource → source → partOf → Manifest. */
export const MAX_CONTENT_STATE_DEPTH = 8;

const CONTEXT = 'http://iiif.io/api/presentation/3/context.json';

/** A content state that cannot be opened; `message` says why, for the reader. */
export class ContentStateError extends Error {}

/**
 * §6 "Content State Encoding": the JSON is encoded with encodeURIComponent (so any UTF-8 text
 * survives btoa), then base64url-encoded "and the padding characters removed".
 */
export function encodeContentState(state) {
  return btoa(encodeURIComponent(JSON.stringify(state))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The content state of a canvas (a leaf), or of a region of it (§3.1: a Canvas identified with a
 * `#xywh=` fragment and `partOf` its Manifest), as the full form: an Annotation whose
 * motivation is `contentState`.
 */
export function contentStateFor({ manifest, canvas, region }) {
  const target = canvas
    ? { id: region ? `${canvas}#xywh=${region.join(',')}` : canvas, type: 'Canvas', partOf: [{ id: manifest, type: 'Manifest' }] }
    : { id: manifest, type: 'Manifest' };
  return { '@context': CONTEXT, type: 'Annotation', motivation: ['contentState'], target };
}

const httpUrl = (value, what) => {
  let url;
  try {
    url = typeof value === 'string' ? new URL(value) : null;
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw new ContentStateError(`${what} is not an http(s) URL`);
  return url.href;
};

/** `xywh=x,y,w,h` (Media Fragments 1.0 §4.2.2, pixels; `percent:` is not used by IIIF viewers here). */
export function parseXywh(fragment) {
  const m = /^xywh=(?:pixel:)?(\d{1,6}),(\d{1,6}),(\d{1,6}),(\d{1,6})$/.exec(fragment);
  if (!m) throw new ContentStateError(`the region "${fragment.slice(0, 60)}" is not xywh=x,y,w,h in whole pixels`);
  const region = m.slice(1).map(Number);
  if (region[2] === 0 || region[3] === 0) throw new ContentStateError('the region has no width or no height');
  return region;
}

/** A canvas reference, split into its id and region: `id#xywh=…`, or a SpecificResource with a FragmentSelector. */
function canvasOf(target) {
  if (target?.type === 'SpecificResource') {
    const selector = Array.isArray(target.selector) ? target.selector[0] : target.selector;
    if (selector && selector.type !== 'FragmentSelector') throw new ContentStateError(`a ${String(selector.type)} is not understood (a FragmentSelector is)`);
    const inner = canvasOf(target.source);
    return selector ? { ...inner, region: parseXywh(String(selector.value)) } : inner;
  }
  if (target?.type !== 'Canvas') throw new ContentStateError('the content state names neither a Manifest nor a Canvas');
  const [id, fragment] = httpUrl(target.id, 'the canvas id').split('#');
  const partOf = (Array.isArray(target.partOf) ? target.partOf : []).find((p) => p?.type === 'Manifest');
  if (!partOf) throw new ContentStateError('the canvas does not say which manifest it is part of (partOf)');
  return { manifest: httpUrl(partOf.id, 'the manifest id'), canvas: id, region: fragment ? parseXywh(fragment) : null };
}

function depthOf(value, limit, depth = 0) {
  if (depth > limit || value === null || typeof value !== 'object') return depth;
  let deepest = depth;
  for (const v of Object.values(value)) {
    deepest = Math.max(deepest, depthOf(v, limit, depth + 1));
    if (deepest > limit) break;
  }
  return deepest;
}

/**
 * What a content state names: { manifest, canvas (or null), region ([x, y, w, h] or null) }.
 * Reads the base64url form, plain JSON, and a plain Manifest URL; a URL of this catalogue's
 * canvas (`…/iiif/{census number}/canvas/{n}`) opens its book at that leaf. Anything else throws
 * a ContentStateError saying what is wrong.
 */
export function parseContentState(value) {
  if (typeof value !== 'string' || value.trim() === '') throw new ContentStateError('the content state is empty');
  const text = value.trim();
  if (text.length > MAX_CONTENT_STATE_LENGTH) throw new ContentStateError(`the content state is longer than ${MAX_CONTENT_STATE_LENGTH} characters`);
  if (/^https?:/i.test(text)) {
    const url = httpUrl(text, 'the URL');
    const [id, fragment] = url.split('#');
    const canvas = /^(.*\/iiif\/[^/]+)\/canvas\/[^/]+$/.exec(id);
    return canvas ? { manifest: `${canvas[1]}/manifest`, canvas: id, region: fragment ? parseXywh(fragment) : null } : { manifest: id, canvas: null, region: null };
  }
  let json = text;
  if (!text.startsWith('{')) {
    if (!/^[A-Za-z0-9_-]+$/.test(text) || text.length % 4 === 1) throw new ContentStateError('the content state is neither a URL, JSON nor base64url');
    try {
      const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
      json = decodeURIComponent(atob(padded));
    } catch {
      throw new ContentStateError('the content state does not decode (base64url of URI-encoded JSON, §6)');
    }
  }
  let state;
  try {
    state = JSON.parse(json);
  } catch {
    throw new ContentStateError('the content state is not JSON');
  }
  if (depthOf(state, MAX_CONTENT_STATE_DEPTH) > MAX_CONTENT_STATE_DEPTH) throw new ContentStateError(`the content state nests deeper than ${MAX_CONTENT_STATE_DEPTH} levels`);
  // The full form is an Annotation with motivation contentState; §2.3 also allows its target alone.
  let target = state;
  if (state?.type === 'Annotation') {
    const motivation = [state.motivation].flat();
    if (!motivation.includes('contentState')) throw new ContentStateError('the annotation\'s motivation is not contentState');
    target = [state.target].flat()[0];
  }
  if (target?.type === 'Manifest') return { manifest: httpUrl(target.id, 'the manifest id'), canvas: null, region: null };
  return canvasOf(target);
}
