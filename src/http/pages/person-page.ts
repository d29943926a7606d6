/**
 * `/persons/{name}?dynasty=…`: every published record naming the person, grouped by dynasty and
 * by the role written (纂修, 撰, 注, 跋 …), each record listed with its edition and holder.
 */
import type { PersonMention } from '../../services/reading-service.js';
import { html, jsonLd } from './html.js';
import { personPath } from './paths.js';
import { recordList } from './record-list.js';
import type { StaticPage } from './static-page.js';

const BODY = '<div id="person"></div>';
export const PERSON_SLOTS = [BODY];

export interface PersonPageInput {
  name: string;
  dynasty: string | null;
  mentions: readonly PersonMention[];
  truncated: boolean;
  unitOf: (censusNumber: string) => string;
  baseUrl: string;
  /** Why the name could not be looked up (answered with 400). */
  problem?: string;
}

export function renderPersonPage(page: StaticPage, input: PersonPageInput): string {
  const label = `${input.dynasty ? `（${input.dynasty}）` : ''}${input.name}`;
  const groups = new Map<string, PersonMention[]>();
  for (const m of input.mentions) {
    const key = `${m.dynasty ? `（${m.dynasty}）` : ''}${m.role ?? '著作方式未详'}${m.as === 'annotation' ? '（批校题跋）' : ''}`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  const books = new Set(input.mentions.map((m) => m.record.fields.censusNumber)).size;
  const body = html`<div id="person">
      <h1>${label}</h1>
      <p class="muted"${input.problem ? html` role="alert"` : null}>${input.problem ? `无法查询：${input.problem}` : books ? `见于已发布古籍 ${books} 种。` : '目录中没有著录此人的已发布古籍。'}${input.truncated ? '（同名检索结果过多，仅列出前一部分。）' : ''}</p>
      ${[...groups].map(([role, mentions]) => html`<section>
      <h2>${role}</h2>
      ${recordList(mentions.map((m) => ({ record: m.record, unitName: input.unitOf(m.record.fields.censusNumber) })))}
      </section>`)}
    </div>`;
  const url = `${input.baseUrl}${personPath(input.name, input.dynasty)}`;
  const head = books
    ? html`<link rel="canonical" href="${url}">
  ${jsonLd({ '@context': 'https://schema.org', '@type': 'Person', '@id': url, url, name: input.name, ...(input.dynasty ? { alternateName: label } : {}) })}`
    : html`<meta name="robots" content="noindex">`;
  return page.render(`${label} · 人物 · guji`, head, { [BODY]: body });
}
