/**
 * Census records as MODS 3.7 (www.loc.gov/standards/mods/, the "MODS User Guidelines"). Every
 * Chinese value is given as written, tagged with the script it is written in (`xml:lang`
 * zh-Hant, zh-Hans or zh: src/exports/crosswalk.ts) — never converted to the other script. The
 * pinyin forms of the title and names are MODS transliterations (`transliteration` and
 * `xml:lang="zh-Latn-pinyin"`; a title's with `type="translated"`, as the MODS User Guidelines
 * ask for transliterated titles), grouped with the vernacular by `altRepGroup`, as MODS 3.4+ pairs
 * MARC's 880s with their romanised fields. Pure: no I/O.
 *
 * - titleInfo: the 题名卷数 as written (primary), its pinyin, and the title proper alone.
 * - name: each person of the 著者, the dynasty as `namePart type="date"` (the period the name
 *   belongs to), the role as a MARC relator term and code where the 著作方式 maps
 *   (src/exports/crosswalk.ts), and always the 著作方式 as written as a roleTerm of its own.
 * - originInfo: the imprint, the date as written, the copy's Western years derived from it
 *   (w3cdtf, keyDate; a range as start and end points, `questionable` when the statement is
 *   doubtful or approximate), the 版本 statement as edition; dateCreated for manuscripts.
 * - physicalDescription: 册数, 装帧, 版式行款, 版框 and 开本 sizes, 存卷.
 * - note: 批校题跋 (one each), 钤印 (ownership), 附注; abstract: 提要; tableOfContents: 子目.
 * - location: the collecting unit and call number, the record page, the manifest.
 * - identifier type="local": the census number; recordInfo with the record's dates.
 */
import type { CensusRecord } from '../domain/census-record.js';
import { annotationCell } from '../domain/census-sheet.js';
import {
  copyYears, digitizedManifest, isManuscript, properNames, relatorOf, scriptCode, scriptTag, type CrosswalkContext,
} from './crosswalk.js';
import { capitalizeTitle, romanize, romanizePerson, romanizeProperName } from './romanize.js';
import { recordPageUrl } from '../domain/sitemap.js';
import { element, textElement } from '../domain/xml.js';

export const MODS_NAMESPACE = 'http://www.loc.gov/mods/v3';
export const MODS_SCHEMA = 'http://www.loc.gov/standards/mods/v3/mods-3-7.xsd';
const PINYIN = { 'xml:lang': 'zh-Latn-pinyin', transliteration: 'ALA-LC Romanization Tables: Chinese (pinyin)' } as const;

/** Text as written, with its script's tag. */
const written = (name: string, text: string, attributes: Record<string, string | undefined> = {}) =>
  textElement(name, { ...attributes, 'xml:lang': scriptTag(text) }, text);

/** One `<mods>` element (its namespace declared on it, no XML declaration). */
export function modsXml(record: CensusRecord, context: CrosswalkContext): string {
  return modsElement(record, context, true);
}

function modsElement(record: CensusRecord, context: CrosswalkContext, root: boolean): string {
  const f = record.fields;
  const d = record.derived;
  const names = new Map<string, string>();
  for (const n of properNames(record)) names.set(n, romanizeProperName(n));
  for (const p of d.creators) names.set(p.name, romanizePerson(p.name));
  const parts: string[] = [];

  parts.push(element('titleInfo', { usage: 'primary', altRepGroup: 'title', 'xml:lang': scriptTag(f.titleStatement) }, written('title', f.titleStatement).replace(/ xml:lang="[^"]*"/, '')));
  parts.push(element('titleInfo', { type: 'translated', altRepGroup: 'title', ...PINYIN }, textElement('title', {}, capitalizeTitle(romanize(f.titleStatement, names)))));
  if (d.title.title !== f.titleStatement) {
    parts.push(element('titleInfo', { type: 'alternative', displayLabel: '题名', 'xml:lang': scriptTag(d.title.title) }, textElement('title', {}, d.title.title)));
  }

  d.creators.forEach((p, i) => {
    const relator = relatorOf(p);
    const roleTerms = [
      ...(relator ? [
        textElement('roleTerm', { type: 'text', authority: 'marcrelator', authorityURI: 'http://id.loc.gov/vocabulary/relators', valueURI: `http://id.loc.gov/vocabulary/relators/${relator.code}` }, relator.term),
        textElement('roleTerm', { type: 'code', authority: 'marcrelator' }, relator.code),
      ] : []),
      ...(p.role ? [written('roleTerm', p.role, { type: 'text' })] : []),
    ];
    const role = roleTerms.length ? element('role', {}, roleTerms.join('')) : '';
    const dynasty = p.dynasty ? written('namePart', p.dynasty, { type: 'date' }) : '';
    const group = `name${i + 1}`;
    // 題, 舊題, （唐?）: a doubtful attribution (MODS 3.7 has no certainty on names).
    const doubt = p.uncertain ? textElement('description', {}, 'attribution uncertain') : '';
    parts.push(element('name', { type: 'personal', usage: i === 0 ? 'primary' : undefined, altRepGroup: group, 'xml:lang': scriptTag(p.name) },
      textElement('namePart', {}, p.name) + dynasty + role + doubt));
    parts.push(element('name', { type: 'personal', altRepGroup: group, ...PINYIN },
      textElement('namePart', {}, romanizePerson(p.name)) + (p.dynasty ? textElement('namePart', { type: 'date' }, romanizeProperName(p.dynasty)) : '') + role + doubt));
    // 等: further persons not named (MODS: a name of <etal/> alone).
    if (p.etAl) parts.push(element('name', {}, '<etal/>'));
  });

  parts.push(textElement('typeOfResource', isManuscript(record) ? { manuscript: 'yes' } : {}, 'text'));
  parts.push(textElement('genre', { authority: 'marcgt' }, 'book'));

  const date = d.edition.date;
  const years = copyYears(date);
  const dateElement = isManuscript(record) ? 'dateCreated' : 'dateIssued';
  const origin: string[] = [];
  if (d.edition.imprint) origin.push(written('publisher', d.edition.imprint));
  if (date) origin.push(written(dateElement, date.display));
  if (years && years.from >= 0) {
    const questionable = date!.uncertain || date!.precision === 'approx' ? { qualifier: 'questionable' } : {};
    if (years.from === years.to) origin.push(textElement(dateElement, { encoding: 'w3cdtf', keyDate: 'yes', ...questionable }, String(years.from).padStart(4, '0')));
    else {
      origin.push(textElement(dateElement, { encoding: 'w3cdtf', keyDate: 'yes', point: 'start', ...questionable }, String(years.from).padStart(4, '0')));
      origin.push(textElement(dateElement, { encoding: 'w3cdtf', point: 'end', ...questionable }, String(years.to).padStart(4, '0')));
    }
  }
  origin.push(written('edition', f.editionStatement));
  origin.push(textElement('issuance', {}, 'monographic'));
  parts.push(element('originInfo', { eventType: isManuscript(record) ? 'production' : 'publication' }, origin.join('')));

  const titleTag = scriptTag(f.titleStatement);
  parts.push(element('language', {}, textElement('languageTerm', { type: 'code', authority: 'iso639-2b' }, 'chi')
    + textElement('scriptTerm', { type: 'code', authority: 'iso15924' }, scriptCode(titleTag))));

  const physical: string[] = [];
  if (d.binding || f.binding) physical.push(written('form', f.binding ?? d.binding!, { type: 'binding' }));
  physical.push(textElement('extent', { unit: '册' }, String(f.volumeCount)));
  if (f.pageSize) physical.push(written('extent', f.pageSize, { unit: '开本尺寸' }));
  if (f.extant) physical.push(written('note', f.extant, { type: 'extant', displayLabel: '存卷' }));
  if (f.layout) physical.push(written('note', f.layout, { type: 'layout', displayLabel: '版式行款' }));
  if (f.frameSize) physical.push(written('note', f.frameSize, { type: 'dimensions', displayLabel: '版框尺寸' }));
  parts.push(element('physicalDescription', {}, physical.join('')));

  if (f.abstract) parts.push(written('abstract', f.abstract, { displayLabel: '提要' }));
  if (f.contents?.length) parts.push(written('tableOfContents', f.contents.join(' -- '), { displayLabel: '子目' }));
  for (const a of f.annotations ?? []) parts.push(written('note', annotationCell([a]), { type: 'annotations', displayLabel: '批校题跋' }));
  if (f.seals?.length) parts.push(written('note', f.seals.join('、'), { type: 'ownership', displayLabel: '钤印' }));
  if (f.boundWith?.length) parts.push(written('note', f.boundWith.join('、'), { type: 'bound with', displayLabel: '合订' }));
  if (f.notes) parts.push(written('note', f.notes, { displayLabel: '附注' }));
  if (f.classification) parts.push(written('classification', f.classification, { displayLabel: '四部分类' }));
  if (f.series) parts.push(element('relatedItem', { type: 'series' }, element('titleInfo', {}, written('title', f.series))));

  parts.push(textElement('identifier', { type: 'local', displayLabel: '普查编号' }, f.censusNumber));
  if (f.preciousListNumber) parts.push(textElement('identifier', { type: 'local', displayLabel: '国家珍贵古籍名录号' }, f.preciousListNumber));
  const manifest = digitizedManifest(record, context.baseUrl);
  parts.push(element('location', {},
    written('physicalLocation', context.unitName, { type: 'current', displayLabel: '收藏单位' })
    + written('shelfLocator', f.callNumber)
    + textElement('url', { usage: 'primary', access: 'object in context', displayLabel: '普查登记' }, recordPageUrl(context.baseUrl, f.censusNumber))
    + (manifest ? textElement('url', { access: 'raw object', note: 'IIIF Presentation 3.0 manifest' }, manifest) : '')));
  const rights = f.presentation?.rights ?? context.rights;
  if (rights && manifest) parts.push(element('accessCondition', { type: 'use and reproduction', 'xlink:href': rights }, ''));

  parts.push(element('recordInfo', {},
    textElement('recordCreationDate', { encoding: 'w3cdtf' }, record.createdAt)
    + textElement('recordChangeDate', { encoding: 'w3cdtf' }, record.updatedAt)
    + textElement('recordIdentifier', { source: '全国古籍普查登记 普查编号' }, f.censusNumber)
    + textElement('recordOrigin', {}, 'Converted from the census record (全国古籍普查登记) by guji')
    + element('languageOfCataloging', {}, textElement('languageTerm', { type: 'code', authority: 'iso639-2b' }, 'chi'))));

  const attributes = root
    ? ` xmlns="${MODS_NAMESPACE}" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${MODS_NAMESPACE} ${MODS_SCHEMA}"`
    : '';
  return `<mods${attributes} version="3.7">${parts.join('')}</mods>`;
}

/** A `<modsCollection>` is these around `<mods>` elements written by modsInCollection. */
export const MODS_COLLECTION_START = `<?xml version="1.0" encoding="UTF-8"?>\n<modsCollection xmlns="${MODS_NAMESPACE}" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${MODS_NAMESPACE} ${MODS_SCHEMA}">\n`;
export const MODS_COLLECTION_END = '</modsCollection>\n';
export const modsInCollection = (record: CensusRecord, context: CrosswalkContext) => modsElement(record, context, false);

/** The MODS document of one record, as GET /api/records/{censusNumber}.mods.xml serves it. */
export const modsDocument = (record: CensusRecord, context: CrosswalkContext) => `<?xml version="1.0" encoding="UTF-8"?>\n${modsXml(record, context)}\n`;
