// The search page: reads its state from the URL (so every search can be shared), asks
// GET /api/search, and draws hits with their highlights and the facets with their counts.
import { api, centuryLabel, el, escapeHtml, FACETS, number, t } from './ui.js';

// Value labels of facets whose values are codes (status, digitized); units are named below.
const VALUE_LABELS = Object.fromEntries(FACETS.map((f) => [f.name, Object.fromEntries(Object.entries(f.valueLabels).map(([v, label]) => [v, t(label)]))]));
const params = new URLSearchParams(location.search);
const form = document.getElementById('search');
const input = document.getElementById('q');
input.value = params.get('q') ?? '';

function go(next) {
  next.delete('page');
  location.search = next.toString();
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const next = new URLSearchParams(location.search);
  next.set('q', input.value.trim());
  go(next);
});

async function run() {
  const summary = document.getElementById('summary');
  const hits = document.getElementById('hits');
  let result;
  try {
    result = (await api(`/api/search?${params}`)).data;
  } catch (e) {
    summary.textContent = t('检索出错：{message}', { message: e.message });
    summary.setAttribute('role', 'alert');
    return;
  }
  const q = params.get('q');
  // The server drew the anonymous reader's results (src/http/pages/search-page.ts); these are this reader's.
  hits.replaceChildren();
  summary.removeAttribute('role');
  summary.textContent = result.total === 0
    ? (q ? t('没有找到与“{q}”相符的古籍。试试更短的词，或去掉筛选。', { q }) : t('目录中还没有可检索的古籍。'))
    : t(q ? '“{q}”：共 {n} 种' : '共 {n} 种', { q, n: number(result.total) });
  for (const hit of result.hits) {
    const title = el('h2');
    // Highlights come from the server: the text as written, HTML-escaped, with <mark> around matches.
    const link = el('a', { href: `/records/${hit.censusNumber}` });
    link.innerHTML = hit.highlights.titleStatement ?? escapeHtml(hit.titleStatement);
    title.append(link);
    const line = (key, text) => {
      if (!text) return null;
      const p = el('p', { className: 'meta' });
      p.innerHTML = hit.highlights[key] ?? escapeHtml(text);
      return p;
    };
    const thumbnail = hit.links.thumbnail
      ? el('img', { className: 'thumb', src: hit.links.thumbnail, alt: '', loading: 'lazy', width: 72 })
      : null;
    hits.append(el('li', { className: thumbnail ? 'with-thumb' : '' },
      thumbnail,
      title,
      ...[line('creatorStatement', hit.creatorStatement), line('editionStatement', hit.editionStatement)].filter(Boolean),
      el('p', { className: 'meta muted', textContent: t('普查编号 {cn} · {n} 册', { cn: hit.censusNumber, n: hit.volumeCount }) + (hit.grade ? ` · ${hit.grade}` : '') }),
    ));
  }
  const units = await fetch('/api/units').then((r) => (r.ok ? r.json() : { units: [] })).catch(() => ({ units: [] }));
  VALUE_LABELS.unit = Object.fromEntries(units.units.map((u) => [`${u.province}-${u.code}`, u.name]));
  drawFacets(result.facets);
  drawPager(result);
}

function drawFacets(facets) {
  const aside = document.getElementById('facets');
  aside.replaceChildren();
  // Facets counted for this searcher come back with counts; `work` only filters.
  for (const { name: key, label } of FACETS) {
    const values = facets[key];
    if (!values || values.length === 0) continue;
    const chosen = new Set((params.get(key) ?? '').split(',').filter(Boolean));
    const set = el('fieldset', {}, el('legend', { textContent: t(label) }));
    for (const { value, count } of values.slice(0, 12)) {
      const box = el('input', { type: 'checkbox', checked: chosen.has(value), name: key, value });
      box.addEventListener('change', () => {
        const next = new URLSearchParams(location.search);
        const now = new Set((next.get(key) ?? '').split(',').filter(Boolean));
        if (box.checked) now.add(value); else now.delete(value);
        if (now.size) next.set(key, [...now].join(',')); else next.delete(key);
        go(next);
      });
      const text = key === 'century' ? centuryLabel(value) : VALUE_LABELS[key]?.[value] ?? value;
      set.append(el('label', {}, el('span', {}, box, ` ${text}`), el('span', { className: 'count', textContent: number(count) })));
    }
    aside.append(set);
  }
}

function drawPager({ page, pageSize, total }) {
  const pager = document.getElementById('pager');
  const pages = Math.ceil(total / pageSize);
  pager.replaceChildren();
  if (pages <= 1) return;
  const link = (n, text) => {
    const next = new URLSearchParams(location.search);
    next.set('page', String(n));
    return el('a', { href: `?${next}`, textContent: text });
  };
  if (page > 1) pager.append(link(page - 1, t('上一页')));
  pager.append(el('span', { textContent: t('第 {page} / {pages} 页', { page, pages }) }));
  if (page < pages) pager.append(link(page + 1, t('下一页')));
}

run();
