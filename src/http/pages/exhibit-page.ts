/**
 * A published exhibit as a readable page, rendered on the server: title, summary, sections, and
 * each item as an image of the chosen leaf or region (from the Image API, at sizes for phones
 * and screens) with its caption and credit, so that it reads without JavaScript. The image
 * links to /viewer opened on that leaf or region; public/exhibit.js turns the link into the
 * zoomable viewer in place. Every value is escaped: the text is the curator's, as written.
 */
import type { Exhibit, ExhibitItem } from '../../domain/exhibit.js';
import { exhibitManifestId, itemImageUrl, itemViewerUrl } from '../../iiif/exhibit-manifest.js';
import { html, type Html } from './html.js';

const SIZES = [400, 800, 1600];

/** An iframe of the viewer, as a site that embeds it writes it (shown as text to copy, never inserted). */
const embedCode = (src: string, title: string): string => html`<iframe src="${src}" width="800" height="600" allowfullscreen title="${title}"></iframe>`.text;

function figure(item: ExhibitItem, key: string, baseUrl: string): Html {
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
  const source = r.homepage ? html`<a href="${r.homepage}">${r.label}</a>` : html`${r.label || r.manifest} (<a href="${r.manifest}">IIIF</a>)`;
  return html`<figure class="item" id="item-${key}">
  <a class="zoom" href="${viewer}"${own ? html` data-viewer="${viewer}"` : null}><img src="${src}"${srcset ? html` srcset="${srcset}" sizes="(max-width: 48rem) 100vw, 46rem"` : null} width="${Math.round(w * scale)}" height="${Math.round(h * scale)}" alt="${alt}" loading="lazy"></a>
  <figcaption>
    ${item.caption ? html`<p class="caption">${item.caption}</p>` : ''}
    ${item.credit ? html`<p class="credit">${item.credit}</p>` : ''}
    <p class="source">${source}${leaf ? ` · ${leaf}` : ''} · <a href="${viewer}">放大 Zoom</a></p>
    ${own ? html`<details class="embed"><summary>嵌入此项 · Embed this item</summary><textarea readonly rows="3" aria-label="嵌入代码 Embed code">${embedCode(viewer, alt)}</textarea></details>` : ''}
  </figcaption>
</figure>`;
}

function article(exhibit: Exhibit, baseUrl: string): Html {
  const manifest = exhibitManifestId(baseUrl, exhibit.slug);
  const viewer = `${baseUrl}/viewer?manifest=${encodeURIComponent(manifest)}`;
  const sections = exhibit.sections.map((section, s) => html`<section class="part">
  ${section.title ? html`<h2>${section.title}</h2>` : ''}
  ${section.text ? html`<p class="text">${section.text}</p>` : ''}
  ${section.items.map((item, i) => [i ? '\n' : '', figure(item, `${s + 1}-${i + 1}`, baseUrl)])}
</section>`);
  return html`<article class="exhibit" lang="zh">
<h1>${exhibit.title}</h1>
${exhibit.summary ? html`<p class="summary">${exhibit.summary}</p>` : ''}
${sections.map((section, i) => [i ? '\n' : '', section])}
<footer class="colophon">
  ${exhibit.credits ? html`<p class="credits">${exhibit.credits}</p>` : ''}
  <p><a rel="license" href="${exhibit.licence}">${exhibit.licence}</a></p>
  <p><a href="${viewer}">在浏览器中观看全部 · View all in the viewer</a> ·
    <a class="iiif-drag" href="${viewer}" title="IIIF 清单 · IIIF manifest"><img src="/iiif-logo.svg" alt="IIIF" width="22" height="20"></a>
    <a href="${manifest}">IIIF manifest</a></p>
  <details class="embed"><summary>嵌入整个展览 · Embed the whole exhibit</summary><textarea readonly rows="3" aria-label="嵌入代码 Embed code">${embedCode(viewer, exhibit.title)}</textarea></details>
</footer>
</article>`;
}

/** The exhibit's body: what the public page shows, and what the editor previews. */
export function renderExhibitArticle(exhibit: Exhibit, baseUrl: string): string {
  return article(exhibit, baseUrl).text;
}

export function renderExhibitPage(exhibit: Exhibit, baseUrl: string): string {
  const description = exhibit.summary.slice(0, 300);
  return html`<!doctype html>
<html lang="zh-Hans">
<head>
<!-- site-head -->
<title>${exhibit.title} · guji</title>
${description ? html`<meta name="description" content="${description}">` : ''}
<link rel="stylesheet" href="/exhibit.css">
<link rel="alternate" type="application/ld+json" href="${exhibitManifestId(baseUrl, exhibit.slug)}" title="IIIF manifest">
</head>
<body>
<header class="top"><a class="brand" href="/">guji 古籍普查与数字化</a><nav><a href="/#exhibits">展览 · Exhibits</a></nav></header>
<main class="story">
${article(exhibit, baseUrl)}
</main>
<script type="module" src="/exhibit.js"></script>
</body>
</html>`.text;
}
