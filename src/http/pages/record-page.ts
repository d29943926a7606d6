/**
 * A published record's page, rendered on the server (issue 17: what a crawler or a reader
 * without JavaScript gets): the title as written, every census field, the persons linked to
 * their pages, other copies of the work, citations, and in <head> the canonical URL, the
 * alternates (IIIF manifest, MODS, JSON) and schema.org JSON-LD. The markup is public/record.html
 * with its containers filled as public/record.js fills them; record.js keeps the fields it finds
 * drawn and adds what needs the browser (the viewer) or the session (review actions, history).
 */
import type { CensusRecord } from '../../domain/census-record.js';
import { PRESENTATION_CONTEXT } from '../../iiif/manifest.js';
import { CITATION_FORMATS, gbt7714 } from '../../exports/citation.js';
import { digitizedManifest, modsUrl, recordJsonUrl } from '../../exports/crosswalk.js';
import { recordPageUrl } from '../../domain/sitemap.js';
import { PAGE_FIELDS, shownValue } from './fields.js';
import { html, jsonLd, type Html } from './html.js';
import { recordJsonLd } from './json-ld.js';
import { citePath, personPath, searchPath } from './paths.js';
import { recordList, type ListedRecord } from './record-list.js';
import type { StaticPage } from './static-page.js';

const TITLE = '<h1 id="title" data-i18n>载入中…</h1>';
const FIELDS = '<dl class="fields" id="fields"></dl>';
const END = '</main>';
export const RECORD_SLOTS = [TITLE, FIELDS, END];

const CITATION_LABELS: Record<(typeof CITATION_FORMATS)[number], string> = { gbt7714: 'GB/T 7714', ris: 'RIS', bibtex: 'BibTeX', 'csl-json': 'CSL-JSON' };

export interface RecordPageInput {
  record: CensusRecord;
  baseUrl: string;
  /** The collecting unit's name as registered (the unit code when it has none). */
  unitName: string;
  otherCopies: readonly ListedRecord[];
}

/** 公元 as record.js writes it: 1573–1620, （存疑） when doubtful, — when undated. */
function westernYears(record: CensusRecord): string {
  const date = record.derived.edition.date;
  if (date?.gregorianFrom == null) return '—';
  return `${date.gregorianFrom}${date.gregorianTo !== date.gregorianFrom ? `–${date.gregorianTo}` : ''}${date.uncertain ? '（存疑）' : ''}`;
}

function fieldRows(record: CensusRecord, unitName: string): Html[] {
  const f = record.fields;
  const d = record.derived;
  const row = (label: string, value: Html | string) => html`<dt data-i18n>${label}</dt><dd>${value}</dd>`;
  const rows: Html[] = [];
  for (const { key, label } of PAGE_FIELDS) {
    const written = shownValue(f, key);
    if (written === null) continue;
    rows.push(row(label, key === 'holdingUnit' ? `${unitName}（${f.holdingUnit}）` : written));
    if (key === 'creatorStatement' && d.creators.length) {
      // Each person of the 著者 leads to every record naming them (by name and dynasty).
      rows.push(row('人物', html`${d.creators.map((p, i) => html`${i ? '、' : ''}${p.dynasty ? `（${p.dynasty}）` : ''}<a href="${personPath(p.name, p.dynasty)}">${p.name}</a>${p.role ?? ''}${p.etAl ? '等' : ''}`)}`));
    }
  }
  rows.push(row('版本类型', [d.edition.type, ...d.edition.subtypes].filter(Boolean).join(' · ') || '—'));
  if (f.annotations?.length) {
    rows.push(row('批校题跋', html`${f.annotations.map((a, i) => html`${i ? '\n' : ''}${a.dynasty ? `（${a.dynasty}）` : ''}<a href="${personPath(a.person, a.dynasty)}">${a.person}</a>${a.role}${a.text ? `：${a.text}` : ''}`)}`));
  }
  if (f.partOf) {
    const work = f.partOf.work;
    rows.push(row('同一作品其他部分', html`<a href="${searchPath({ work, sort: 'censusNumber' })}">${work}</a> · <a href="/iiif/works/${encodeURIComponent(work)}">IIIF</a>`));
  }
  rows.push(row('公元', westernYears(record)));
  return rows;
}

function otherCopiesSection(input: RecordPageInput): Html | null {
  if (input.otherCopies.length === 0) return null;
  return html`<section id="other-copies">
      <h2 data-i18n>同书其他藏本与版本</h2>
      ${recordList(input.otherCopies)}
    </section>`;
}

function citeSection(record: CensusRecord): Html {
  const cn = record.fields.censusNumber;
  return html`<section id="cite">
      <h2 data-i18n>引用</h2>
      <p id="citation">${gbt7714(record)}</p>
      <p><span data-i18n>导出引用</span>：${CITATION_FORMATS.map((format, i) => html`${i ? ' · ' : ''}<a href="${citePath(cn, format)}" download>${CITATION_LABELS[format]}</a>`)}</p>
    </section>`;
}

export function renderRecordPage(page: StaticPage, input: RecordPageInput): string {
  const { record, baseUrl } = input;
  const f = record.fields;
  const cn = f.censusNumber;
  const manifest = digitizedManifest(record, baseUrl);
  const head = html`<link rel="canonical" href="${recordPageUrl(baseUrl, cn)}">
  ${manifest ? html`<link rel="alternate" type="${`application/ld+json;profile="${PRESENTATION_CONTEXT}"`}" href="${manifest}" title="IIIF">` : null}
  <link rel="alternate" type="application/mods+xml" href="${modsUrl(baseUrl, cn)}" title="MODS">
  <link rel="alternate" type="application/json" href="${recordJsonUrl(baseUrl, cn)}" title="JSON">
  <meta name="description" content="${[f.titleStatement, f.creatorStatement, f.editionStatement, input.unitName].filter(Boolean).join(' · ')}">
  ${jsonLd(recordJsonLd(record, baseUrl, input.unitName))}`;
  const data = html`<p class="muted" id="data-links"><span data-i18n>数据</span>：<a href="${recordJsonUrl(baseUrl, cn)}">JSON</a> · <a href="${modsUrl(baseUrl, cn)}">MODS</a>${manifest ? html` · <a href="${manifest}">IIIF</a>` : null}</p>`;
  return page.render(`${f.titleStatement} · guji`, head, {
    [TITLE]: html`<h1 id="title">${f.titleStatement}</h1>`,
    [FIELDS]: html`<dl class="fields" id="fields">${fieldRows(record, input.unitName)}</dl>`,
    [END]: html`${otherCopiesSection(input)}
    ${citeSection(record)}
    ${data}
  </main>`,
  });
}

/**
 * A record the public may not read (a draft, or none): the page as it is, for staff whose
 * script reads the draft with their session; 404 and noindex for everyone else.
 */
export function renderUnpublishedRecordPage(page: StaticPage): string {
  return page.render('普查登记 · guji', html`<meta name="robots" content="noindex">`, {});
}
