/**
 * IIIF Content Search (issue 16): the answers of a book's search service, pure.
 *
 * 2.0 (https://iiif.io/api/search/2.0/): an AnnotationPage whose `items` are the matched text as
 * content annotations — one per column a match runs through, targeting the union of its
 * characters' boxes on the canvas (`#xywh=`, the canvas being the master's size) with the
 * motivation of the canvas's own text annotations (`supplementing`, src/iiif/text-annotations.ts)
 * — and, in `annotations`, one `contextualizing` annotation a match with a TextQuoteSelector
 * (prefix, exact, suffix) on the item(s) it is made of (§4.3.1 Match Context; a match over two
 * columns targets both, as §4.3.4 Multi-Annotation Matches shows). Autocomplete answers a TermPage.
 *
 * 1.0 (https://iiif.io/api/search/1.0/) for the viewers that ask only for it (Mirador 3 reads
 * the service with profile http://iiif.io/api/search/1/search): an sc:AnnotationList of the same
 * annotations with `hits` (before, match, after), and a search:TermList.
 */
import type { Box } from '../domain/page-text.js';
import { canvasIdOf } from './text-annotations.js';

export const SEARCH2_CONTEXT = 'http://iiif.io/api/search/2/context.json';
export const SEARCH1_CONTEXT = 'http://iiif.io/api/search/1/context.json';
const PRESENTATION2_CONTEXT = 'http://iiif.io/api/presentation/2/context.json';

export const searchServiceId = (baseUrl: string, censusNumber: string, version: 1 | 2) =>
  `${baseUrl}/iiif/${censusNumber}/search${version === 1 ? '/1' : ''}`;
export const autocompleteServiceId = (baseUrl: string, censusNumber: string, version: 1 | 2) =>
  `${baseUrl}/iiif/${censusNumber}/autocomplete${version === 1 ? '/1' : ''}`;

/** The manifest's `service` entries (Content Search 2.0 §3.1, and 1.0 §3 for Mirador 3). */
export function searchServices(baseUrl: string, censusNumber: string): object[] {
  return [
    {
      id: searchServiceId(baseUrl, censusNumber, 2), type: 'SearchService2',
      service: [{ id: autocompleteServiceId(baseUrl, censusNumber, 2), type: 'AutoCompleteService2' }],
    },
    {
      '@context': SEARCH1_CONTEXT, id: searchServiceId(baseUrl, censusNumber, 1), type: 'SearchService1', profile: 'http://iiif.io/api/search/1/search',
      service: [{ id: autocompleteServiceId(baseUrl, censusNumber, 1), type: 'AutoCompleteService1', profile: 'http://iiif.io/api/search/1/autocomplete' }],
    },
  ];
}

/** One match on a leaf: the characters as written around it and the matched characters' boxes. */
export interface LeafMatch {
  sequence: number;
  start: number;
  prefix: string;
  exact: string;
  suffix: string;
  chars: string[];
  boxes: Box[];
}

/**
 * One page of a book's matches: a book whose matches are on more leaves than one answer lists
 * is answered in pages (2.0 §4.2.2, 1.0 §3.4), `page` of `pages`; `total` matches in all, of
 * which `startIndex` are on the pages before.
 */
export interface LeafMatchPage {
  matches: LeafMatch[];
  page: number;
  pages: number;
  total: number;
  startIndex: number;
}

/** The address of a page of the answers to `q` (the collection's when no page is named). */
const pageId = (searchId: string, q: string, page?: number) => `${searchId}?q=${encodeURIComponent(q)}${page ? `&page=${page}` : ''}`;

interface Segment {
  text: string;
  box: Box;
}

/**
 * The match cut where it leaves a column: consecutive characters whose boxes overlap
 * horizontally stand in one column (vertical text), and each column's part is one box, the union.
 */
export function columnSegments(chars: readonly string[], boxes: readonly Box[]): Segment[] {
  const segments: { text: string; x0: number; y0: number; x1: number; y1: number }[] = [];
  boxes.forEach(([x, y, w, h], i) => {
    const last = segments.at(-1);
    if (last && x < last.x1 && x + w > last.x0) {
      last.text += chars[i];
      [last.x0, last.y0, last.x1, last.y1] = [Math.min(last.x0, x), Math.min(last.y0, y), Math.max(last.x1, x + w), Math.max(last.y1, y + h)];
    } else {
      segments.push({ text: chars[i] ?? '', x0: x, y0: y, x1: x + w, y1: y + h });
    }
  });
  return segments.map((s) => ({ text: s.text, box: [s.x0, s.y0, s.x1 - s.x0, s.y1 - s.y0] }));
}

const matchId = (baseUrl: string, censusNumber: string, m: LeafMatch) => `${canvasIdOf(baseUrl, censusNumber, m.sequence)}/match/${m.start}`;
const xywh = (b: Box) => `#xywh=${b.join(',')}`;

function pieces(baseUrl: string, censusNumber: string, m: LeafMatch) {
  const canvas = canvasIdOf(baseUrl, censusNumber, m.sequence);
  return columnSegments(m.chars, m.boxes).map((s, k) => ({ id: `${matchId(baseUrl, censusNumber, m)}/${k}`, canvas, ...s }));
}

/**
 * A Content Search 2.0 answer: items, and their match context in `annotations`; when paged, the
 * page's place in its AnnotationCollection (§4.2.2: partOf with first and last, next, prev; the
 * total, a MAY, is left out: it counts annotations, a match over two columns being two).
 */
export function searchResponse2(baseUrl: string, censusNumber: string, id: string, q: string, found: LeafMatchPage, ignored: readonly string[]) {
  const { matches } = found;
  const searchId = searchServiceId(baseUrl, censusNumber, 2);
  const at = (page: number) => ({ id: pageId(searchId, q, page), type: 'AnnotationPage' });
  const paging = found.pages <= 1 ? {} : {
    partOf: { id: pageId(searchId, q), type: 'AnnotationCollection', first: at(1), last: at(found.pages) },
    ...(found.page < found.pages ? { next: at(found.page + 1) } : {}),
    ...(found.page > 1 ? { prev: at(found.page - 1) } : {}),
  };
  const items: object[] = [];
  const context: object[] = [];
  for (const m of matches) {
    const parts = pieces(baseUrl, censusNumber, m);
    for (const p of parts) {
      items.push({
        id: p.id, type: 'Annotation', motivation: 'supplementing',
        body: { type: 'TextualBody', value: p.text, format: 'text/plain', language: 'zh-Hant' }, target: `${p.canvas}${xywh(p.box)}`,
      });
    }
    const targets = parts.map((p, k) => ({
      type: 'SpecificResource', source: p.id,
      selector: [{
        type: 'TextQuoteSelector', ...(k === 0 ? { prefix: m.prefix } : {}), exact: p.text, ...(k === parts.length - 1 ? { suffix: m.suffix } : {}),
      }],
    }));
    context.push({ id: matchId(baseUrl, censusNumber, m), type: 'Annotation', motivation: 'contextualizing', target: targets.length === 1 ? targets[0] : targets });
  }
  return {
    '@context': SEARCH2_CONTEXT, id: found.pages <= 1 ? id : at(found.page).id, type: 'AnnotationPage',
    ...paging,
    ...(ignored.length > 0 ? { ignored } : {}),
    items,
    annotations: [{ type: 'AnnotationPage', items: context }],
  };
}

/**
 * A Content Search 1.0 answer (sc:AnnotationList with hits), for Mirador 3 and the Universal
 * Viewer; when paged (§3.4), `within` names the first and last pages and the total of hits, and
 * the page its next and previous pages and the place of its first hit (`startIndex`).
 */
export function searchResponse1(baseUrl: string, censusNumber: string, id: string, q: string, found: LeafMatchPage, ignored: readonly string[]) {
  const { matches } = found;
  const searchId = searchServiceId(baseUrl, censusNumber, 1);
  const at = (page: number) => pageId(searchId, q, page);
  const paged = found.pages > 1;
  const resources: object[] = [];
  const hits: object[] = [];
  for (const m of matches) {
    const parts = pieces(baseUrl, censusNumber, m);
    for (const p of parts) {
      resources.push({
        '@id': p.id, '@type': 'oa:Annotation', motivation: 'sc:painting',
        resource: { '@type': 'cnt:ContentAsText', chars: p.text }, on: `${p.canvas}${xywh(p.box)}`,
      });
    }
    hits.push({ '@type': 'search:Hit', annotations: parts.map((p) => p.id), match: m.exact, before: m.prefix, after: m.suffix });
  }
  return {
    '@context': [PRESENTATION2_CONTEXT, SEARCH1_CONTEXT], '@id': paged ? at(found.page) : id, '@type': 'sc:AnnotationList',
    within: { '@type': 'sc:Layer', total: found.total, ...(paged ? { first: at(1), last: at(found.pages) } : {}), ...(ignored.length > 0 ? { ignored } : {}) },
    ...(paged && found.page < found.pages ? { next: at(found.page + 1) } : {}),
    ...(paged && found.page > 1 ? { prev: at(found.page - 1) } : {}),
    ...(paged ? { startIndex: found.startIndex } : {}),
    resources, hits,
  };
}

export interface Term {
  value: string;
  total: number;
}

/** Content Search 2.0 §5: a TermPage, each term with the search that finds it. */
export function autocompleteResponse2(id: string, terms: readonly Term[], ignored: readonly string[]) {
  return {
    '@context': SEARCH2_CONTEXT, id, type: 'TermPage', ...(ignored.length > 0 ? { ignored } : {}),
    // The value goes into `q` as it is, so no `service` link is needed (§5.3).
    items: terms.map((t) => ({ value: t.value, total: t.total })),
  };
}

/** Content Search 1.0 §4: a search:TermList. */
export function autocompleteResponse1(baseUrl: string, censusNumber: string, id: string, terms: readonly Term[], ignored: readonly string[]) {
  return {
    '@context': SEARCH1_CONTEXT, '@id': id, '@type': 'search:TermList', ...(ignored.length > 0 ? { ignored } : {}),
    terms: terms.map((t) => ({ match: t.value, url: `${searchServiceId(baseUrl, censusNumber, 1)}?q=${encodeURIComponent(t.value)}`, count: t.total })),
  };
}
