/**
 * A published exhibit as a readable page, rendered on the server: title, summary, sections, and
 * each item as an image of the chosen leaf or region (from the Image API, at sizes for phones
 * and screens) with its caption and credit, so that it reads without JavaScript. The image
 * links to /viewer opened on that leaf or region; public/exhibit.js turns the link into the
 * zoomable viewer in place. Every value is escaped: the text is the curator's, as written.
 */
import type { Exhibit, ExhibitItem } from '../../domain/exhibit.js';
import { exhibitManifestId, itemImageUrl, itemViewerUrl } from '../../iiif/exhibit-manifest.js';
import { escapeHtml as esc } from '../../domain/search-text.js';

const SIZES = [400, 800, 1600];

function figure(item: ExhibitItem, key: string, baseUrl: string): string {
  const r = item.resolved;
  // Other sites' manifests are not read by /viewer (the pages' connect-src is this site's own):
  // their items open the region's large image instead.
  const own = r.homepage !== null;
  const viewer = own ? itemViewerUrl(baseUrl, item) : itemImageUrl(item, '!2000,2000') ?? r.image;
  const [w, h] = r.region ? [r.region[2], r.region[3]] : [r.width, r.height];
  const scale = Math.min(1, 800 / Math.max(w, h));
  const src = itemImageUrl(item, '!800,800') ?? r.image;
  // Candidates at 400, 800 and 1600 px, none larger than the region itself (the Image API's `!w,h` does not upscale).
  const widths = new Map(SIZES.map((s) => [Math.round(Math.min(1, s / Math.max(w, h)) * w), s]));
  const srcset = r.service ? [...widths].map(([width, s]) => `${itemImageUrl(item, `!${s},${s}`)} ${width}w`).join(', ') : '';
  const alt = (item.caption.split('\n')[0] || r.label).slice(0, 200);
  const leaf = r.whole ? '全书 · whole book' : [r.canvasLabel, r.region ? `区域 region ${r.region.join(',')}` : ''].filter(Boolean).join(' · ');
  const source = r.homepage ? `<a href="${esc(r.homepage)}">${esc(r.label)}</a>` : `${esc(r.label || r.manifest)} (<a href="${esc(r.manifest)}">IIIF</a>)`;
  const snippet = `<iframe src="${viewer}" width="800" height="600" allowfullscreen title="${esc(alt)}"></iframe>`;
  return `<figure class="item" id="item-${key}">
  <a class="zoom" href="${esc(viewer)}"${own ? ` data-viewer="${esc(viewer)}"` : ''}><img src="${esc(src)}"${srcset ? ` srcset="${esc(srcset)}" sizes="(max-width: 48rem) 100vw, 46rem"` : ''} width="${Math.round(w * scale)}" height="${Math.round(h * scale)}" alt="${esc(alt)}" loading="lazy"></a>
  <figcaption>
    ${item.caption ? `<p class="caption">${esc(item.caption)}</p>` : ''}
    ${item.credit ? `<p class="credit">${esc(item.credit)}</p>` : ''}
    <p class="source">${source}${leaf ? ` · ${esc(leaf)}` : ''} · <a href="${esc(viewer)}">放大 Zoom</a></p>
    ${own ? `<details class="embed"><summary>嵌入此项 · Embed this item</summary><textarea readonly rows="3" aria-label="嵌入代码 Embed code">${esc(snippet)}</textarea></details>` : ''}
  </figcaption>
</figure>`;
}

/** The exhibit's body: what the public page shows, and what the editor previews. */
export function renderExhibitArticle(exhibit: Exhibit, baseUrl: string): string {
  const manifest = exhibitManifestId(baseUrl, exhibit.slug);
  const whole = `<iframe src="${baseUrl}/viewer?manifest=${encodeURIComponent(manifest)}" width="800" height="600" allowfullscreen title="${esc(exhibit.title)}"></iframe>`;
  const sections = exhibit.sections.map((section, s) => `<section class="part">
  ${section.title ? `<h2>${esc(section.title)}</h2>` : ''}
  ${section.text ? `<p class="text">${esc(section.text)}</p>` : ''}
  ${section.items.map((item, i) => figure(item, `${s + 1}-${i + 1}`, baseUrl)).join('\n')}
</section>`).join('\n');
  return `<article class="exhibit" lang="zh">
<h1>${esc(exhibit.title)}</h1>
${exhibit.summary ? `<p class="summary">${esc(exhibit.summary)}</p>` : ''}
${sections}
<footer class="colophon">
  ${exhibit.credits ? `<p class="credits">${esc(exhibit.credits)}</p>` : ''}
  <p><a rel="license" href="${esc(exhibit.licence)}">${esc(exhibit.licence)}</a></p>
  <p><a href="${esc(`${baseUrl}/viewer?manifest=${encodeURIComponent(manifest)}`)}">在浏览器中观看全部 · View all in the viewer</a> ·
    <a class="iiif-drag" href="${esc(`${baseUrl}/viewer?manifest=${encodeURIComponent(manifest)}`)}" title="IIIF 清单 · IIIF manifest"><img src="/iiif-logo.svg" alt="IIIF" width="22" height="20"></a>
    <a href="${esc(manifest)}">IIIF manifest</a></p>
  <details class="embed"><summary>嵌入整个展览 · Embed the whole exhibit</summary><textarea readonly rows="3" aria-label="嵌入代码 Embed code">${esc(whole)}</textarea></details>
</footer>
</article>`;
}

export function renderExhibitPage(exhibit: Exhibit, baseUrl: string): string {
  const description = exhibit.summary.slice(0, 300);
  return `<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(exhibit.title)} · guji</title>
${description ? `<meta name="description" content="${esc(description)}">` : ''}
<link rel="stylesheet" href="/site.css">
<link rel="stylesheet" href="/exhibit.css">
<link rel="alternate" type="application/ld+json" href="${esc(exhibitManifestId(baseUrl, exhibit.slug))}" title="IIIF manifest">
</head>
<body>
<header class="top"><a class="brand" href="/">guji 古籍普查与数字化</a><nav><a href="/#exhibits">展览 · Exhibits</a></nav></header>
<main class="story">
${renderExhibitArticle(exhibit, baseUrl)}
</main>
<script type="module" src="/exhibit.js"></script>
</body>
</html>`;
}
