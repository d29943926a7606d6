/** A list of records on a public page (other copies, a person's books), as the search page lists hits. */
import type { CensusRecord } from '../../domain/census-record.js';
import { html, type Html } from './html.js';
import { recordPath } from './paths.js';

export interface ListedRecord {
  record: CensusRecord;
  unitName: string;
  /** What the list says of the record beside its edition (a person's role in it). */
  note?: string;
}

export function recordList(items: readonly ListedRecord[], heading: 'h2' | 'h3' = 'h3'): Html {
  return html`<ol class="hits">${items.map(({ record, unitName, note }) => {
    const f = record.fields;
    const title = html`<a href="${recordPath(f.censusNumber)}">${f.titleStatement}</a>`;
    return html`
      <li>${heading === 'h2' ? html`<h2>${title}</h2>` : html`<h3>${title}</h3>`}${note ? html`<p class="meta">${note}</p>` : null}
        <p class="meta">${f.editionStatement}</p>
        <p class="meta muted">${unitName} · 普查编号 ${f.censusNumber} · ${f.volumeCount} 册</p></li>`;
  })}
    </ol>`;
}
