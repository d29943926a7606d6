/**
 * A census record as unqualified Dublin Core for OAI-PMH (`oai_dc`, §6.1 of the protocol and
 * https://www.dublincore.org/specifications/dublin-core/dces/). Text stays as the surveyor wrote
 * it, tagged with its script (zh-Hant or zh-Hans, as the manifest tags it). The book described
 * is the copy held: its holder and call number are its `source`, and the catalogue page its
 * `identifier`.
 */
import { chinese, manifestId } from '../iiif/manifest.js';
import type { CensusRecord } from './census-record.js';
import { XSI_NAMESPACE } from './oai-pmh.js';
import { recordPageUrl } from './sitemap.js';
import { element, escapeXml } from './xml.js';

export const OAI_DC = {
  prefix: 'oai_dc',
  schema: 'http://www.openarchives.org/OAI/2.0/oai_dc.xsd',
  namespace: 'http://www.openarchives.org/OAI/2.0/oai_dc/',
};
const DC_NAMESPACE = 'http://purl.org/dc/elements/1.1/';

/** What a metadata format may need beyond the record: the holder's name and the catalogue's addresses. */
export interface RenderContext {
  unitName: string;
  baseUrl: string;
  /** The service's rights URI, for records that name none of their own. */
  rights: string;
}

/** A W3CDTF year (`1551`) or span (`1736/1795`), when the years are ones it can write (1–9999). */
function w3cYears(from: number | null, to: number | null): string | null {
  const year = (y: number | null) => (y !== null && y >= 1 && y <= 9999 ? String(y).padStart(4, '0') : null);
  const a = year(from);
  const b = year(to);
  if (!a) return null;
  return b && b !== a ? `${a}/${b}` : a;
}

export function renderOaiDc(record: CensusRecord, context: RenderContext): string {
  const f = record.fields;
  const d = record.derived;
  const parts: string[] = [];
  // Tagged by the script of the value as written, before any label is put in front of it.
  const dc = (name: string, value: string | null | undefined, options: { tagged?: boolean; label?: string } = {}) => {
    if (!value?.trim()) return;
    const lang = options.tagged === false ? undefined : Object.keys(chinese(value))[0];
    parts.push(element(`dc:${name}`, { 'xml:lang': lang }, escapeXml(`${options.label ? `${options.label}：` : ''}${value}`)));
  };
  const untagged = { tagged: false };
  dc('title', f.titleStatement);
  if (d.title.title !== f.titleStatement) dc('title', d.title.title);
  if (d.creators.length > 0) {
    for (const p of d.creators) dc('creator', `${p.dynasty ? `（${p.dynasty}）` : ''}${p.name}${p.role ?? ''}`);
  } else {
    dc('creator', f.creatorStatement);
  }
  dc('subject', f.classification);
  dc('description', f.abstract);
  dc('description', f.editionStatement, { label: '版本' });
  dc('description', f.extant, { label: '存卷' });
  for (const a of f.annotations ?? []) dc('description', `${a.dynasty ? `（${a.dynasty}）` : ''}${a.person}${a.role}${a.text ? `：${a.text}` : ''}`, { label: '批校题跋' });
  for (const seal of f.seals ?? []) dc('description', seal, { label: '钤印' });
  dc('description', f.notes);
  dc('publisher', d.edition.imprint);
  dc('date', d.edition.date?.display);
  dc('date', w3cYears(d.edition.date?.gregorianFrom ?? null, d.edition.date?.gregorianTo ?? null), untagged);
  dc('type', 'Text', untagged);
  dc('format', `${f.volumeCount}`, { label: '册数', tagged: false });
  dc('format', d.binding);
  dc('identifier', recordPageUrl(context.baseUrl, f.censusNumber), untagged);
  dc('identifier', f.censusNumber, untagged);
  dc('source', `${context.unitName} ${f.callNumber}`);
  if ((record.pageCount ?? 0) > 0) dc('relation', manifestId(context.baseUrl, f.censusNumber), untagged);
  dc('rights', f.presentation?.rights ?? context.rights, untagged);
  return element('oai_dc:dc', {
    'xmlns:oai_dc': OAI_DC.namespace, 'xmlns:dc': DC_NAMESPACE, 'xmlns:xsi': XSI_NAMESPACE,
    'xsi:schemaLocation': `${OAI_DC.namespace} ${OAI_DC.schema}`,
  }, parts.join(''));
}
