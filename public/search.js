// @ts-check
// The search page: reads its state from the URL (so every search can be shared), asks
// GET /api/search, and draws hits with their highlights and the facets with their counts. A
// search in the books' text (in=text, in=all; issue 16) draws each book's best pages under it.
import { api, centuryLabel, COLON, el, escapeHtml, FACETS, number, session, t } from './ui.js';

// Value labels of facets whose values are codes (status, digitized); units are named below.
const VALUE_LABELS = Object.fromEntries(FACETS.map((f) => [f.name, Object.fromEntries(Object.entries(f.valueLabels).map(([v, label]) => [v, t(label)]))]));
const params = new URLSearchParams(location.search);
const form = /** @type {HTMLFormElement} */ (document.getElementById('search'));
const input = /** @type {HTMLInputElement} */ (document.getElementById('q'));
const yearFrom = /** @type {HTMLInputElement} */ (document.getElementById('yearFrom'));
const yearTo = /** @type {HTMLInputElement} */ (document.getElementById('yearTo'));
const sort = /** @type {HTMLSelectElement} */ (document.getElementById('sort'));
/** Where to search: 著录 (fields, the default), 全文 (text) or 全部 (all). */
const scope = /** @type {RadioNodeList} */ (form.elements.namedItem('in'));
const SCOPES = ['fields', 'text', 'all'];
input.value = params.get('q') ?? '';
yearFrom.value = params.get('yearFrom') ?? '';
yearTo.value = params.get('yearTo') ?? '';
sort.value = params.get('sort') ?? 'relevance';
scope.value = SCOPES.includes(params.get('in') ?? '') ? params.get('in') : 'fields';

/** Whether the parameters narrow the catalogue (anything but the query, the order, the page and where to search). */
const filtered = (p) => [...p.keys()].some((key) => !['q', 'sort', 'page', 'pageSize', 'in'].includes(key));

/** @param {URLSearchParams} next */
function go(next) {
  next.delete('page');
  location.assign(`${location.pathname}${next.size ? `?${next}` : ''}`);
}

// The query, where to search, the year range and the order live in the URL with the filters; empty (or default) ones are left out.
function submit() {
  const next = new URLSearchParams(location.search);
  next.set('q', input.value.trim());
  for (const [name, value] of [
    // A text search needs a phrase: with nothing typed the page browses the catalogue.
    ['in', scope.value === 'fields' || !input.value.trim() ? '' : scope.value],
    ['yearFrom', yearFrom.value.trim()], ['yearTo', yearTo.value.trim()], ['sort', sort.value === 'relevance' ? '' : sort.value],
  ]) {
    if (value) next.set(name, value); else next.delete(name);
  }
  go(next);
}
form.addEventListener('submit', (event) => {
  event.preventDefault();
  submit();
});
sort.addEventListener('change', submit);
for (const radio of scope) radio.addEventListener('change', submit);

/** The summary line: how many books, and where they were looked for. */
function summaryText(result, q) {
  const n = number(result.total);
  if (result.total === 0) {
    if (!q) return filtered(params) ? t('没有找到符合筛选的古籍。去掉筛选试试。') : t('目录中还没有可检索的古籍。');
    return result.in === 'text' ? t('正文中没有找到“{q}”。试试更短的词，或去掉筛选；只有已数字化并录入文字的古籍可检索正文。', { q })
      : t('没有找到与“{q}”相符的古籍。试试更短的词，或去掉筛选。', { q });
  }
  if (result.segmented) {
    return t('没有找到“{q}”，以下为{terms}的结果：共 {n} 种', { q, terms: result.segmented.map((term) => `“${term}”`).join(''), n });
  }
  if (!q) return t('共 {n} 种', { n });
  if (result.pinyin) return t('“{q}”按拼音检索：共 {n} 种', { q, n });
  return result.in === 'text' ? t('“{q}”：正文中共 {n} 种', { q, n }) : result.in === 'all' ? t('“{q}”：著录与正文中共 {n} 种', { q, n }) : t('“{q}”：共 {n} 种', { q, n });
}

/** A leaf of the book in the viewer, opened at that leaf. */
const leafHref = (text, leaf) => `/viewer?manifest=${encodeURIComponent(text.links.manifest)}&canvas=${leaf}`;

/**
 * The book's best pages where the query is in its text: each a line 正文 · 卷 · leaf, and the
 * match as written with the query marked, linking to the leaf in the viewer. The text is set as
 * text (never as HTML): it is the book's, as written.
 */
function textMatches(text) {
  const list = el('ul', { className: 'in-text' });
  list.setAttribute('aria-label', t('正文中的匹配'));
  for (const page of text.pages) {
    const match = page.matches[0];
    if (!match) continue;
    // The leaf's label as the manifest gives it (卷一 葉三a, or 第 3 半叶): its 卷 is already in it.
    const where = [t('正文'), page.label].filter(Boolean).join(' · ');
    const snippet = el('a', { href: leafHref(text, page.leaf) },
      `${match.snippet.before ? '…' : ''}${match.snippet.before}`, el('mark', { textContent: match.snippet.text }), `${match.snippet.after}${match.snippet.after ? '…' : ''}`);
    // A draft (OCR or aligned, not yet proofread by a person) says so: its text may be wrong.
    const draft = page.proofread ? null : el('span', { className: 'tag', textContent: t('未经校对') });
    const more = page.matchCount > 1 ? el('span', { className: 'tag', textContent: t('此半叶 {n} 处', { n: number(page.matchCount) }) }) : null;
    list.append(el('li', {}, el('span', { className: 'where', textContent: `${where}${COLON}` }), snippet, draft, more));
  }
  if (text.pageCount > text.pages.length) {
    list.append(el('li', { className: 'muted', textContent: t('正文中共 {n} 处，见于 {p} 半叶', { n: number(text.matchCount), p: number(text.pageCount) }) }));
  }
  return list;
}

/** A field hit whose text holds the query too: a line that searches the text instead. */
function moreInText(text) {
  const next = new URLSearchParams(location.search);
  next.set('in', 'text');
  next.delete('page');
  return el('p', { className: 'more-text' }, el('a', { href: `?${next}`, textContent: t('正文中另有 {n} 处', { n: number(text.matchCount) }) }));
}

async function run() {
  const summary = document.getElementById('summary');
  const hits = document.getElementById('hits');
  const results = document.getElementById('results');
  const loading = document.getElementById('loading');
  // The server drew the anonymous reader's results: they stay, dimmed, while this reader's are asked for.
  loading.hidden = false;
  results.setAttribute('aria-busy', 'true');
  const asked = new URLSearchParams(params);
  // Nothing typed: browse the catalogue (a text search needs a phrase).
  if (!asked.get('q')?.trim()) asked.delete('in');
  let result;
  try {
    result = (await api(`/api/search?${asked}`)).data;
  } catch (e) {
    // Said in the reader's words from the error's code (messages.js); the page and its form stay.
    summary.textContent = t('检索出错：{message}', { message: e.message });
    summary.setAttribute('role', 'alert');
    return;
  } finally {
    loading.hidden = true;
    results.removeAttribute('aria-busy');
  }
  const q = params.get('q');
  document.title = q ? `${q} · ${t('检索')} · guji` : `${t('检索')} · guji`;
  hits.replaceChildren();
  summary.removeAttribute('role');
  summary.textContent = summaryText(result, q);
  // A page past the last was answered with the last: the URL says which page is shown.
  if (String(result.page) !== (params.get('page') ?? '1')) {
    params.set('page', String(result.page));
    history.replaceState(null, '', `?${params}`);
  }
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
    const inText = !hit.text || hit.text.matchCount === 0 ? null : hit.text.pages.length > 0 ? textMatches(hit.text) : moreInText(hit.text);
    hits.append(el('li', { className: thumbnail ? 'with-thumb' : '' },
      thumbnail,
      title,
      ...[line('creatorStatement', hit.creatorStatement), line('editionStatement', hit.editionStatement)].filter(Boolean),
      el('p', { className: 'meta muted', textContent: t('普查编号 {cn} · {n} 册', { cn: hit.censusNumber, n: hit.volumeCount }) + (hit.grade ? ` · ${hit.grade}` : '') }),
      inText,
    ));
  }
  const units = await fetch('/api/units').then((r) => (r.ok ? r.json() : { units: [] })).catch(() => ({ units: [] }));
  VALUE_LABELS.unit = Object.fromEntries(units.units.map((u) => [`${u.province}-${u.code}`, u.name]));
  drawChips();
  drawFacets(result.facets);
  drawPager(result);
  drawExport(result);
  // For tests and assistive tools: this reader's answer is drawn (the server drew the anonymous one).
  hits.dataset.drawn = 'true';
}

/**
 * The filters in force, each a button that removes it. They come from the URL, not from the
 * results: a search that matches nothing keeps them, so the reader can always undo one.
 */
function drawChips() {
  const list = document.getElementById('chips');
  const chip = (text, remove) => {
    const button = el('button', { type: 'button', className: 'chip', textContent: `${text} ×`, title: t('去掉这个筛选') });
    button.addEventListener('click', () => {
      const next = new URLSearchParams(location.search);
      remove(next);
      go(next);
    });
    return el('li', {}, button);
  };
  const chips = [];
  for (const { name: key, label, listFilter } of FACETS) {
    // A list filter is a comma-separated list of values; others (a work's name) are one value.
    const values = listFilter ? (params.get(key) ?? '').split(',') : [params.get(key)];
    for (const value of values.filter(Boolean)) {
      const text = key === 'century' ? centuryLabel(value) : VALUE_LABELS[key]?.[value] ?? value;
      chips.push(chip(`${t(label)}${COLON}${text}`, (next) => {
        const rest = listFilter ? (next.get(key) ?? '').split(',').filter((v) => v && v !== value) : [];
        if (rest.length) next.set(key, rest.join(',')); else next.delete(key);
      }));
    }
  }
  const from = params.get('yearFrom');
  const to = params.get('yearTo');
  if (from || to) {
    chips.push(chip(`${t('年代')}${COLON}${from ?? '…'}–${to ?? '…'}`, (next) => {
      next.delete('yearFrom');
      next.delete('yearTo');
    }));
  }
  // Clearing the filters keeps the query and where it is searched.
  const kept = new URLSearchParams([...params].filter(([key, value]) => ['q', 'in'].includes(key) && value));
  if (chips.length > 1) chips.push(el('li', {}, el('a', { href: `?${kept}`, textContent: t('清除全部筛选') })));
  list.replaceChildren(...chips);
}

function drawFacets(facets) {
  const aside = document.getElementById('facets');
  // On a phone the facets stand above the results, folded under one summary (site.css).
  const drawer = el('details', { className: 'filters', open: !matchMedia('(max-width: 700px)').matches }, el('summary', { textContent: t('筛选') }));
  aside.replaceChildren(drawer);
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
    drawer.append(set);
  }
  // Nothing to count (no results): the chips above still undo every filter.
  aside.hidden = drawer.children.length === 1;
}

/**
 * The result set to download (issue 20), from GET /api/exports/* with the page's own query,
 * filters, year range and order: every matching record, not this page of them. A search in the
 * books' text finds what the exports do not (they search the catalogue's fields), so it offers none.
 */
const EXPORTS = [
  ['records.csv', 'CSV'], ['records.xlsx', 'Excel (xlsx)'], ['records.jsonl', 'JSON Lines'], ['records.mrc', 'MARC 21'],
  ['records.marcxml', 'MARCXML'], ['records.mods.xml', 'MODS'], ['records.unimarc', 'UNIMARC'], ['records.unimarc.xml', 'UNIMARC XML'],
];
function drawExport(result) {
  document.getElementById('export')?.remove();
  if (result.total === 0 || (result.in ?? 'fields') !== 'fields') return;
  const asked = new URLSearchParams(location.search);
  for (const key of ['page', 'pageSize', 'in']) asked.delete(key);
  const query = asked.size ? `?${asked}` : '';
  const list = el('ul', {}, ...EXPORTS.map(([file, label]) => el('li', {}, el('a', { href: `/api/exports/${file}${query}`, download: file, textContent: label }))));
  // A link carries no Authorization header: staff download what the public reads, not their drafts.
  const what = session.user ? t('其中已发布的全部古籍（非仅本页），格式：') : t('全部 {n} 种（非仅本页），格式：', { n: number(result.total) });
  const box = el('details', { id: 'export', className: 'export' }, el('summary', { textContent: t('导出检索结果') }), el('p', { className: 'muted', textContent: what }), list);
  document.getElementById('pager').after(box);
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
