/**
 * The search page (`/`) rendered on the server with the results of the query in its URL, as an
 * anonymous reader sees them (published records): the summary, the hits with their highlights,
 * the facets as links that add or remove a filter, and the pager — in the containers of
 * public/index.html, with the markup public/search.js draws. The script then searches again with
 * the reader's session (staff see more) and draws the same containers afresh.
 */
import type { CensusRecord } from '../../domain/census-record.js';
import { FACET_TABLE } from '../../domain/facets.js';
import type { FacetCount, FacetName } from '../../ports/search-index.js';
import { thumbnailUrl } from '../representations.js';
import { escapedElsewhere, html, type Html } from './html.js';
import { recordPath } from './paths.js';
import type { StaticPage } from './static-page.js';

const SUMMARY = '<p id="summary" class="muted"></p>';
const HITS = '<ol id="hits" class="hits"></ol>';
const PAGER = '<nav id="pager" class="pager" aria-label="分页" data-i18n-aria-label></nav>';
const FACETS_SLOT = '<aside id="facets" aria-label="筛选" data-i18n-aria-label></aside>';
const QUERY = '<input id="q" name="q"';
const CHIPS = '<ul id="chips" class="chips" aria-label="已选筛选" data-i18n-aria-label></ul>';
const YEAR_FROM = '<input id="yearFrom" name="yearFrom"';
const YEAR_TO = '<input id="yearTo" name="yearTo"';
const SORTS = ['relevance', 'year', '-year', 'censusNumber'];
const sortOption = (sort: string) => `<option value="${sort}"`;
/** Where to search (著录, 全文, 全部): the one in the URL is checked. */
const SCOPES = ['fields', 'text', 'all'];
const scopeRadio = (scope: string) => `<input type="radio" name="in" value="${scope}"`;
export const SEARCH_SLOTS = [SUMMARY, HITS, PAGER, FACETS_SLOT, QUERY, CHIPS, YEAR_FROM, YEAR_TO, ...SORTS.map(sortOption), ...SCOPES.map(scopeRadio)];

const FACET_VALUES_SHOWN = 12;

export interface SearchPageInput {
  baseUrl: string;
  /** The query string as the reader sent it (kept for links: filters, pages). */
  params: URLSearchParams;
  q: string;
  result?: {
    /** Where the query was looked for: the fields, the books' text, or both. */
    in: 'fields' | 'text' | 'all';
    /** The separate terms searched when the query as typed found nothing. */
    segmented: readonly string[] | null;
    /** Whether the query was read as pinyin (Latin letters that matched nothing as written). */
    pinyin: boolean;
    total: number;
    page: number;
    pageSize: number;
    hits: readonly { record: CensusRecord; highlights: Record<string, string> }[];
    facets: Partial<Record<FacetName, FacetCount[]>>;
  };
  /** The unit names by unit key (PPPPPP-UUUU), for the unit facet. */
  unitNames: ReadonlyMap<string, string>;
  /** Problems with the parameters, when they could not be searched (answered with 400). */
  problems?: readonly string[];
}

const number = (n: number) => n.toLocaleString('zh-CN');
const century = (v: string) => (v === 'span' ? '跨世纪（仅朝代或宽年代）' : Number(v) > 0 ? `${v} 世纪` : `前 ${-Number(v)} 世纪`);

function facetValueLabel(facet: FacetName, value: string, units: ReadonlyMap<string, string>): string {
  if (facet === 'century') return century(value);
  if (facet === 'unit') return units.get(value) ?? value;
  return FACET_TABLE.find((f) => f.name === facet)?.valueLabels?.[value]?.zh ?? value;
}

function linkWith(params: URLSearchParams, change: (next: URLSearchParams) => void): string {
  const next = new URLSearchParams(params);
  change(next);
  return `?${next}`;
}

/** The filters in force as links that remove them, as search.js draws them (with buttons). */
function chipsMarkup(input: SearchPageInput): Html {
  const chips: Html[] = [];
  const chip = (text: string, change: (next: URLSearchParams) => void) =>
    html`<li><a class="chip" href="${linkWith(input.params, (next) => { change(next); next.delete('page'); })}">${text} ×</a></li>`;
  for (const { name: key, label, listFilter } of FACET_TABLE) {
    const given = input.params.get(key) ?? '';
    // A list filter is a comma-separated list of values; others (a work's name) are one value.
    const chosen = (listFilter ? given.split(',') : [given]).filter(Boolean);
    for (const value of chosen) {
      chips.push(chip(`${label.zh}：${facetValueLabel(key, value, input.unitNames)}`, (next) => {
        const rest = chosen.filter((v) => v !== value);
        if (rest.length) next.set(key, rest.join(',')); else next.delete(key);
      }));
    }
  }
  const [from, to] = [input.params.get('yearFrom'), input.params.get('yearTo')];
  if (from || to) chips.push(chip(`年代：${from || '…'}–${to || '…'}`, (next) => { next.delete('yearFrom'); next.delete('yearTo'); }));
  return html`<ul id="chips" class="chips" aria-label="已选筛选" data-i18n-aria-label>${chips}</ul>`;
}

function facetsMarkup(input: SearchPageInput): Html {
  const facets = input.result?.facets ?? {};
  // The counted facets in the table's order, as search.js lists them (src/domain/facets.ts).
  const shown = FACET_TABLE.filter((f) => facets[f.name]?.length);
  return html`<aside id="facets" aria-label="筛选" data-i18n-aria-label${shown.length ? null : html` hidden`}><details class="filters" open><summary data-i18n>筛选</summary>${shown.map(({ name: key, label: { zh: label } }) => {
    const values = facets[key]!;
    const chosen = new Set((input.params.get(key) ?? '').split(',').filter(Boolean));
    return html`<fieldset><legend data-i18n>${label}</legend>${values.slice(0, FACET_VALUES_SHOWN).map(({ value, count }) => {
      const link = linkWith(input.params, (next) => {
        const now = new Set(chosen);
        if (now.has(value)) now.delete(value); else now.add(value);
        next.delete('page');
        if (now.size) next.set(key, [...now].join(',')); else next.delete(key);
      });
      return html`<label><span><a href="${link}"${chosen.has(value) ? html` aria-current="true"` : null}>${chosen.has(value) ? '✓ ' : ''}${facetValueLabel(key, value, input.unitNames)}</a></span><span class="count">${number(count)}</span></label>`;
    })}</fieldset>`;
  })}</details></aside>`;
}

function hitMarkup(baseUrl: string, { record, highlights }: { record: CensusRecord; highlights: Record<string, string> }): Html {
  const f = record.fields;
  // Highlights are the text as written, escaped by src/domain/search-text.ts, with <mark> around matches.
  const shown = (key: string, text: string | undefined) =>
    text ? html`<p class="meta">${highlights[key] !== undefined ? escapedElsewhere(highlights[key]!) : text}</p>` : null;
  const thumb = record.cover ? html`<img class="thumb" src="${thumbnailUrl(baseUrl, record.cover)}" alt="" loading="lazy" width="72">` : null;
  return html`<li${thumb ? html` class="with-thumb"` : null}>${thumb}<h2><a href="${recordPath(f.censusNumber)}">${highlights.titleStatement !== undefined ? escapedElsewhere(highlights.titleStatement) : f.titleStatement}</a></h2>${shown('creatorStatement', f.creatorStatement)}${shown('editionStatement', f.editionStatement)}<p class="meta muted">普查编号 ${f.censusNumber} · ${f.volumeCount} 册${record.derived.grade ? ` · ${record.derived.grade.term}` : ''}</p></li>`;
}

function pagerMarkup(input: SearchPageInput): Html {
  const r = input.result;
  const pages = r ? Math.ceil(r.total / r.pageSize) : 0;
  const link = (n: number, text: string) => html`<a href="${linkWith(input.params, (next) => next.set('page', String(n)))}">${text}</a>`;
  return html`<nav id="pager" class="pager" aria-label="分页" data-i18n-aria-label>${r && pages > 1
    ? html`${r.page > 1 ? link(Math.min(r.page - 1, pages), '上一页') : null}<span>第 ${r.page} / ${pages} 页</span>${r.page < pages ? link(r.page + 1, '下一页') : null}`
    : null}</nav>`;
}

function summaryText(input: SearchPageInput): string {
  if (input.problems) return `检索出错：${input.problems.join('；')}`;
  const { q } = input;
  const total = input.result?.total ?? 0;
  // Anything but the query, the order and the page narrows the catalogue (as in public/search.js).
  const filtered = [...input.params.keys()].some((key) => !['q', 'sort', 'page', 'pageSize'].includes(key));
  // As public/search.js says it.
  const where = input.result?.in ?? 'fields';
  if (total === 0) {
    if (!q) return filtered ? '没有找到符合筛选的古籍。去掉筛选试试。' : '目录中还没有可检索的古籍。';
    return where === 'text' ? `正文中没有找到“${q}”。试试更短的词，或去掉筛选；只有已数字化并录入文字的古籍可检索正文。` : `没有找到与“${q}”相符的古籍。试试更短的词，或去掉筛选。`;
  }
  const segmented = input.result?.segmented;
  if (segmented) return `没有找到“${q}”，以下为${segmented.map((term) => `“${term}”`).join('')}的结果：共 ${number(total)} 种`;
  if (!q) return `共 ${number(total)} 种`;
  if (input.result?.pinyin) return `“${q}”按拼音检索：共 ${number(total)} 种`;
  return where === 'text' ? `“${q}”：正文中共 ${number(total)} 种` : where === 'all' ? `“${q}”：著录与正文中共 ${number(total)} 种` : `“${q}”：共 ${number(total)} 种`;
}

export function renderSearchPage(page: StaticPage, input: SearchPageInput): string {
  const sort = input.params.get('sort') ?? 'relevance';
  const scope = SCOPES.find((s) => s === input.params.get('in')) ?? 'fields';
  const api = `${input.baseUrl}/api/search${input.params.size ? `?${input.params}` : ''}`;
  const head = html`<link rel="alternate" type="application/json" href="${api}">${input.params.size ? null : html`
  <link rel="canonical" href="${input.baseUrl}/">`}`;
  return page.render(input.q ? `${input.q} · 检索 · guji` : '检索 · guji', head, {
    [QUERY]: html`<input id="q" name="q" value="${input.q}"`,
    [SUMMARY]: html`<p id="summary" class="muted"${input.problems ? html` role="alert"` : null}>${summaryText(input)}</p>`,
    [HITS]: html`<ol id="hits" class="hits">${(input.result?.hits ?? []).map((hit) => hitMarkup(input.baseUrl, hit))}</ol>`,
    [PAGER]: pagerMarkup(input),
    [FACETS_SLOT]: facetsMarkup(input),
    [CHIPS]: chipsMarkup(input),
    [YEAR_FROM]: html`<input id="yearFrom" name="yearFrom" value="${input.params.get('yearFrom') ?? ''}"`,
    [YEAR_TO]: html`<input id="yearTo" name="yearTo" value="${input.params.get('yearTo') ?? ''}"`,
    ...(SORTS.includes(sort) && sort !== 'relevance' ? { [sortOption(sort)]: html`<option value="${sort}" selected` } : {}),
    [scopeRadio(scope)]: html`<input type="radio" name="in" value="${scope}" checked`,
  });
}
