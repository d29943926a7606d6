// @ts-check
// "Share this page" and "share this region" under a record's viewer: the leaf Mirador shows, or
// a box the curator draws on it, as a link (IIIF Content State 1.0, opened by /viewer), an
// <iframe> snippet (only /viewer may be framed by other sites), the Image API URL of the region
// at a chosen size, and a citation in 中文 and English.
import { contentStateFor, encodeContentState } from './content-state.js';
import { el } from './ui.js';

const SIZES = [['!600,600', '600 px'], ['!1200,1200', '1200 px'], ['!2400,2400', '2400 px'], ['max', '原大 full size']];

const mirador = () => {
  const state = window.miradorInstance.store.getState();
  const windowId = Object.keys(state.windows)[0];
  return { state, windowId, selectors: window.Mirador.selectors };
};

/** The leaves Mirador shows now, each with where it sits in Mirador's world (an opening shows two). */
function visibleLeaves() {
  const { state, windowId, selectors } = mirador();
  const world = selectors.getCurrentCanvasWorld(state, { windowId });
  return selectors.getVisibleCanvases(state, { windowId }).map((canvas) => ({
    id: canvas.id, width: canvas.getWidth(), height: canvas.getHeight(), world: world.canvasToWorldCoordinates(canvas.id),
  }));
}

/**
 * A box drawn over the viewer, in screen pixels, as a region of the leaf under its centre in
 * that leaf's pixels. Mirador keeps OpenSeadragon's viewport in its store: the centre (x, y) in
 * world units and the zoom, the reciprocal of the visible width.
 */
function regionOf(box, surface) {
  const { state, windowId } = mirador();
  const view = state.viewers[windowId];
  const rect = surface.getBoundingClientRect();
  const scale = rect.width * view.zoom;
  const toWorld = (sx, sy) => [view.x + (sx - rect.left - rect.width / 2) / scale, view.y + (sy - rect.top - rect.height / 2) / scale];
  const [x0, y0] = toWorld(box.left, box.top);
  const [x1, y1] = toWorld(box.right, box.bottom);
  const cx = (x0 + x1) / 2;
  const leaf = visibleLeaves().find((l) => cx >= l.world[0] && cx <= l.world[0] + l.world[2]) ?? visibleLeaves()[0];
  const k = leaf.width / leaf.world[2];
  const clamp = (v, max) => Math.min(Math.max(Math.round(v), 0), max);
  const x = clamp((x0 - leaf.world[0]) * k, leaf.width);
  const y = clamp((y0 - leaf.world[1]) * k, leaf.height);
  return { canvas: leaf.id, region: [x, y, clamp((x1 - leaf.world[0]) * k, leaf.width) - x, clamp((y1 - leaf.world[1]) * k, leaf.height) - y] };
}

/** Lets the curator drag a box over the viewer; resolves with it in screen pixels, or null on Escape. */
function drawBox(viewer) {
  return new Promise((resolve) => {
    const layer = el('div', { className: 'draw-layer', title: '拖动画出区域（Esc 取消） Drag to draw a region (Esc cancels)' });
    const box = el('div', { className: 'draw-box' });
    layer.append(box);
    viewer.append(layer);
    viewer.scrollIntoView({ block: 'nearest' });
    let start = null;
    const end = (result) => {
      layer.remove();
      document.removeEventListener('keydown', onKey);
      resolve(result);
    };
    const onKey = (e) => e.key === 'Escape' && end(null);
    document.addEventListener('keydown', onKey);
    layer.addEventListener('pointerdown', (e) => {
      start = [e.clientX, e.clientY];
      layer.setPointerCapture(e.pointerId);
    });
    layer.addEventListener('pointermove', (e) => {
      if (!start) return;
      const r = layer.getBoundingClientRect();
      Object.assign(box.style, {
        left: `${Math.min(start[0], e.clientX) - r.left}px`, top: `${Math.min(start[1], e.clientY) - r.top}px`,
        width: `${Math.abs(e.clientX - start[0])}px`, height: `${Math.abs(e.clientY - start[1])}px`,
      });
    });
    layer.addEventListener('pointerup', (e) => {
      if (!start) return;
      const box = { left: Math.min(start[0], e.clientX), top: Math.min(start[1], e.clientY), right: Math.max(start[0], e.clientX), bottom: Math.max(start[1], e.clientY) };
      end(box.right - box.left > 4 && box.bottom - box.top > 4 ? box : null);
    });
  });
}

const html = (s) => String(s).replace(/[&"<>]/g, (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[c]);

/**
 * The share panel for a digitized record. `holder` is the holding unit's name; the record's
 * pages give each leaf's image and label.
 */
export function drawShare(record, holder) {
  const viewer = document.getElementById('viewer');
  const out = document.getElementById('share-out');
  const size = /** @type {HTMLSelectElement} */ (document.getElementById('share-size'));
  for (const [value, label] of SIZES) size.append(el('option', { value, textContent: label }));
  let shared = null;

  const show = () => {
    if (!shared) return;
    const { canvas, region } = shared;
    const sequence = Number(canvas.split('/').pop());
    const page = record.pages.find((p) => p.sequence === sequence) ?? record.pages[0];
    const link = `${location.origin}/viewer?iiif-content=${encodeContentState(contentStateFor({ manifest: record.links.manifest, canvas, region }))}`;
    const leaf = [page.juan, page.label].filter(Boolean).join(' ');
    const where = region ? `，区域 ${region.join(',')}` : '';
    const whereEn = region ? `, region ${region.join(',')}` : '';
    const values = {
      'share-link': link,
      'share-embed': `<iframe src="${html(link)}" width="800" height="600" allowfullscreen title="${html(record.titleStatement)}"></iframe>`,
      'share-image': `${location.origin}/iiif/3/${page.imageId}/${region ? region.join(',') : 'full'}/${size.value}/0/default.jpg`,
      'share-cite-zh': `${record.titleStatement}，${holder}藏，普查编号 ${record.censusNumber}，第 ${page.sequence} 半叶${leaf ? `（${leaf}）` : ''}${where}。${link}`,
      'share-cite-en': `${record.titleStatement}. ${holder}. Census no. ${record.censusNumber}, half-leaf ${page.sequence}${leaf ? ` (${leaf})` : ''}${whereEn}. ${link}`,
    };
    for (const [id, value] of Object.entries(values)) /** @type {HTMLInputElement} */ (document.getElementById(id)).value = value;
    document.getElementById('share-what').textContent = region
      ? `第 ${page.sequence} 半叶的区域 ${region.join(',')} · region ${region.join(',')} of half-leaf ${page.sequence}`
      : `第 ${page.sequence} 半叶 · half-leaf ${page.sequence}`;
    out.hidden = false;
  };
  size.addEventListener('change', show);

  document.getElementById('share-page').addEventListener('click', () => {
    // The leaf the reader turned to (an opening shows it with its neighbour).
    const { state, windowId } = mirador();
    shared = { canvas: state.windows[windowId].canvasId ?? visibleLeaves()[0].id, region: null };
    show();
  });
  const regionButton = /** @type {HTMLButtonElement} */ (document.getElementById('share-region'));
  regionButton.addEventListener('click', async () => {
    regionButton.disabled = true;
    const box = await drawBox(viewer);
    regionButton.disabled = false;
    if (!box) return;
    const chosen = regionOf(box, viewer.querySelector('.openseadragon-canvas') ?? viewer);
    if (chosen.region[2] > 0 && chosen.region[3] > 0) {
      shared = chosen;
      show();
    }
  });
  for (const button of /** @type {NodeListOf<HTMLButtonElement>} */ (out.querySelectorAll('button[data-copy]'))) {
    button.addEventListener('click', async () => {
      const box = /** @type {HTMLInputElement} */ (document.getElementById(button.dataset.copy));
      box.select();
      // The clipboard needs a secure context; where there is none, the selected text can be copied by hand.
      await navigator.clipboard?.writeText(box.value).catch(() => undefined);
    });
  }
}
