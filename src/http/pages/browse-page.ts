/**
 * `/browse`: the 四部 tree of the published records (部 → 類 → 屬, with counts), each node a link
 * to the search it stands for. 部 and 類 are search filters; a 屬 has no filter of its own, so
 * its link searches the 屬's name within its 類 (the classification as written is searched text).
 */
import type { ClassNode } from '../../services/reading-service.js';
import { html, type Html } from './html.js';
import { searchPath } from './paths.js';
import type { StaticPage } from './static-page.js';

const TREE = '<div id="tree"></div>';
export const BROWSE_SLOTS = [TREE];

const node = (name: string, count: number, link: string, children: Html | null) =>
  html`<li><a href="${link}">${name}</a><span class="count">${count.toLocaleString('zh-CN')}</span>${children}</li>`;

export function renderBrowsePage(page: StaticPage, tree: readonly ClassNode[], baseUrl: string): string {
  const body = tree.length === 0
    ? html`<p data-i18n>目录中还没有已分类的古籍。</p>`
    : html`<ul class="tree">${tree.map((d) => node(d.name, d.count, searchPath({ division: d.name }), d.children.length
      ? html`<ul>${d.children.map((c) => node(c.name, c.count, searchPath({ division: d.name, category: c.name }), c.children.length
        ? html`<ul>${c.children.map((s) => node(s.name, s.count, searchPath({ division: d.name, category: c.name, q: s.name }), null))}</ul>`
        : null))}</ul>`
      : null))}</ul>`;
  return page.render('四部分类 · guji', html`<link rel="canonical" href="${baseUrl}/browse">`, { [TREE]: html`<div id="tree">${body}</div>` });
}
