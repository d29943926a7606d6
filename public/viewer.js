// @ts-check
// The embeddable viewer: Mirador 3 by default, or the Universal Viewer with `viewer=uv`, each in
// simplified Chinese unless the site is switched to English; both read
// viewingDirection and behavior from the manifest, so string-bound books page right to left in
// spreads. Each is served from its pinned npm package. What to open:
//   ?iiif-content=<content state>   IIIF Content State 1.0: a book, a leaf, or a region of a leaf
//   ?manifest=<URL>[&canvas=<canvas id, or the leaf's place 1, 2, …>]
//   #?manifest=<URL>&cv=<0-based place>&xywh=…   what the Universal Viewer's own embed code says
import { ContentStateError, parseContentState } from './content-state.js';
import { reloadWhenSignedIn, shareSessionWithViewer } from './iiif-access-cookie.js';
import { load, miradorSettings, miradorWindow } from './viewer-load.js';

const params = new URLSearchParams(location.search);
const hash = new URLSearchParams(location.hash.replace(/^#\??/, ''));
const container = document.getElementById('viewer');

function fail(message) {
  container.replaceChildren(Object.assign(document.createElement('p'), {
    className: 'viewer-error',
    role: 'alert',
    textContent: `无法打开：${message}。 Cannot open: ${message}.`,
  }));
}

/** What the address asks for: { manifest, canvas, index, region }, canvas and index null for the first leaf. */
function requested() {
  if (params.has('iiif-content')) return { ...parseContentState(params.get('iiif-content')), index: null };
  const manifest = params.get('manifest') ?? hash.get('manifest');
  if (!manifest) throw new ContentStateError('the address names no manifest (manifest= or iiif-content=)');
  const { manifest: id } = parseContentState(manifest);
  const canvas = params.get('canvas');
  const cv = hash.get('cv');
  const place = canvas && /^\d{1,5}$/.test(canvas) ? Number(canvas) - 1 : cv && /^\d{1,5}$/.test(cv) ? Number(cv) : null;
  // UV's embed code keeps the viewport it had, which may start left of or above the image.
  const xywh = hash.get('xywh');
  const region = xywh && /^-?\d{1,6}(,-?\d{1,6}){3}$/.test(xywh) ? xywh.split(',').map(Number) : null;
  return { manifest: id, canvas: canvas && place === null ? canvas.split('#')[0] : null, index: place, region };
}

/** The canvas asked for, as its id and its place in the manifest (each viewer wants one of them). */
async function locate(target) {
  if (target.canvas === null && target.index === null) return { ...target, canvas: undefined, index: 0 };
  const response = await fetch(target.manifest, { headers: { Accept: 'application/ld+json, application/json' } });
  if (!response.ok) throw new ContentStateError(`the manifest answered HTTP ${response.status}`);
  const items = (await response.json()).items ?? [];
  const index = target.index ?? items.findIndex((c) => c.id === target.canvas);
  if (!items[index]) throw new ContentStateError('the manifest has no such leaf (canvas)');
  return { ...target, canvas: items[index].id, index };
}

async function main() {
  // Staff signed in to guji in this tab see unpublished books; others get the viewer's sign-in prompt.
  await shareSessionWithViewer();
  reloadWhenSignedIn();
  let target;
  try {
    target = await locate(requested());
  } catch (e) {
    fail(e instanceof ContentStateError ? e.message : 'the manifest could not be read');
    return;
  }
  const { manifest, canvas, index, region } = target;
  if (params.get('viewer') === 'uv') {
    const english = document.documentElement.lang === 'en';
    const [texts] = await Promise.all([
      english ? null : Promise.all([container.dataset.uvEnglishSrc, container.dataset.uvChineseSrc].map((url) => fetch(url).then((r) => r.json()))),
      load('link', { rel: 'stylesheet', href: container.dataset.uvStyleSrc }),
      load('script', { src: container.dataset.uvSrc }),
    ]);
    container.className = 'uv';
    window.uv = UV.init('viewer', {
      iiifManifestId: manifest, canvasIndex: index, xywh: region ? region.join(',') : '', embedded: true,
      locales: [english ? { name: 'en-GB' } : { name: 'zh-CN', label: '中文（简体）' }],
    });
    if (texts) window.uv.on('configure', ({ config, cb }) => cb(inChinese(config, texts[0], texts[1])));
    // UV's Share → Embed builds `embedHost + embedPath + #?manifest=…&cv=…`; its default path,
    // /uv.html, is its demo page, which this service does not serve. This page reads those
    // parameters itself, so the embed code opens the same book at the same leaf.
    // Its "manifest" box shows `manifest?manifest=manifest` (its drag-and-drop link), which
    // is no manifest's address when copied: hidden; the record page carries the IIIF link.
    window.uv.on('configure', ({ cb }) => cb({
      modules: { shareDialogue: { options: { embedHost: location.origin, embedPort: '', embedPath: '/viewer?viewer=uv', shareManifestsEnabled: false } } },
    }));
    return;
  }
  await load('script', { src: container.dataset.miradorSrc });
  // Otherwise Mirador lays the book out as its manifest's behavior says (paged: in openings;
  // individuals, as exhibits are: one at a time). A region opens its leaf alone, zoomed to fit the region (Mirador's viewport: the centre in
  // canvas pixels and OpenSeadragon's zoom, the reciprocal of the visible width).
  const viewport = region && (() => {
    const [x, y, w, h] = region;
    const aspect = container.clientHeight / Math.max(container.clientWidth, 1);
    return { x: x + w / 2, y: y + h / 2, zoom: 1 / (1.15 * Math.max(w, h / aspect)) };
  })();
  window.miradorInstance = Mirador.viewer({
    id: 'viewer',
    windows: [{ manifestId: manifest, ...(canvas ? { canvasId: canvas } : {}), ...(region ? { view: 'single' } : {}), ...(viewport ? { initialViewerConfig: viewport } : {}) }],
    window: miradorWindow({ defaultSideBarPanel: 'canvas' }),
    ...miradorSettings(),
  });
  fitUntiledCanvases(window.miradorInstance.store);
}

/**
 * The Universal Viewer's texts in simplified Chinese, as the site is written. UV 4.4 ships cy-GB,
 * en-GB, fr-FR, pl-PL and sv-SE only, and falls back to en-GB for any other locale: it writes its
 * configuration's texts by replacing each `$key` with the locale's text, then lets `configure`
 * override the result. Here each English text of a `content` section (where UV keeps its texts;
 * `options` hold settings such as "page" or "image", which stay) becomes the text that
 * public/uv-zh-CN.json gives the same key.
 */
function inChinese(config, english, chinese) {
  const byText = new Map(Object.entries(english).map(([key, text]) => [text, chinese[key] ?? text]));
  const walk = (value, text) => {
    if (typeof value === 'string') return text ? byText.get(value) ?? value : value;
    if (Array.isArray(value)) return value.map((v) => walk(v, text));
    if (!value || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, walk(v, text || key === 'content')]));
  };
  return walk(config, false);
}

/**
 * Mirador 3.4 draws an image without an image service (an exhibit's region, painted as the
 * region's own Image API URL) where it belongs, but does not fit the view to it: it keeps the
 * view of the leaf before, or of nothing. Each opening of such canvases is fitted here, once.
 */
function fitUntiledCanvases(store) {
  const fitted = new Set();
  store.subscribe(() => {
    const state = store.getState();
    const windowId = Object.keys(state.windows)[0];
    if (!windowId || !state.viewers[windowId]) return;
    const canvases = Mirador.selectors.getVisibleCanvases(state, { windowId }) ?? [];
    const key = canvases.map((c) => c.id).join(' ');
    if (canvases.length === 0 || fitted.has(key)) return;
    fitted.add(key);
    if (canvases.some((c) => c.__jsonld.items?.[0]?.items?.[0]?.body?.service)) return;
    const [, , w, h] = Mirador.selectors.getCurrentCanvasWorld(state, { windowId }).worldBounds();
    const aspect = container.clientHeight / Math.max(container.clientWidth, 1);
    // After Mirador's own update of the view for this opening.
    setTimeout(() => store.dispatch(Mirador.actions.updateViewport(windowId, { x: w / 2, y: h / 2, zoom: 1 / (1.15 * Math.max(w, h / aspect)) })), 300);
  });
}

main();
