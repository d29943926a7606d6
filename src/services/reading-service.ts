/**
 * What researchers read beside a record (issue 20): the 四部 tree with counts, the records a
 * person is named in, and the other copies and editions of a work. Published records only: these
 * answers are the same for every reader and are rendered into public pages.
 *
 * Each reads the search index for candidates (folded text, so traditional, simplified and
 * variant forms meet) and then checks the records themselves, bounded by a candidate limit.
 */
import type { CensusRecord } from '../domain/census-record.js';
import { ValidationError } from '../domain/errors.js';
import { fold } from '../domain/text-fold.js';
import type { Vocabulary } from '../domain/vocabulary.js';
import type { CatalogueStore } from '../ports/catalogue-store.js';
import type { SearchIndex, SearchQuery } from '../ports/search-index.js';

export interface ClassNode {
  name: string;
  count: number;
  children: ClassNode[];
}

/** Where a person is named in a record: among the 著者, or in a 批校题跋. */
export interface PersonMention {
  record: CensusRecord;
  dynasty: string | null;
  role: string | null;
  as: 'creator' | 'annotation';
}

/** Candidates read for a person or a work: a bound on the records loaded for one page. */
export const READING_LIMITS = { personCandidates: 1000, copyCandidates: 100, copies: 50, nameChars: 50 };

const PAGE = 500;

export class ReadingService {
  private tree: { seq: number; nodes: ClassNode[] } | null = null;

  constructor(
    private readonly store: CatalogueStore,
    private readonly index: SearchIndex,
    private readonly vocabulary: Vocabulary,
  ) {}

  private candidates(text: string, limit: number, sort: SearchQuery['sort']): Promise<{ total: number; hits: string[] }> {
    return this.index.search({ text, filters: {}, visibleTo: 'published', sort, offset: 0, limit, facets: [] });
  }

  private async load(censusNumbers: readonly string[]): Promise<CensusRecord[]> {
    const records = await Promise.all(censusNumbers.map((cn) => this.store.records.get(cn)));
    // The index may lag a withdrawal by a moment: the store has the last word.
    return records.filter((r): r is CensusRecord => r?.status === 'published');
  }

  /**
   * The 四部 tree of the published records: 部 → 類 → 屬 with counts, from the classification
   * as derived (the vocabulary's 部, the 類 and 屬 as written). 部 in the vocabulary's order,
   * 類 and 屬 by count. Kept until the search index moves on (a write was indexed).
   */
  async classificationTree(): Promise<ClassNode[]> {
    const seq = await this.index.lastSeq();
    if (this.tree?.seq === seq) return this.tree.nodes;
    const root = new Map<string, { count: number; children: Map<string, { count: number; children: Map<string, number> }> }>();
    for (let offset = 0; ; offset += PAGE) {
      const { records } = await this.store.records.list({ filter: { visibleTo: 'published', status: ['published'] }, sort: 'censusNumber', offset, limit: PAGE });
      for (const r of records) {
        const c = r.derived.classification;
        if (!c) continue;
        const division = root.get(c.division) ?? { count: 0, children: new Map() };
        root.set(c.division, division);
        division.count++;
        if (!c.category) continue;
        const category = division.children.get(c.category) ?? { count: 0, children: new Map<string, number>() };
        division.children.set(c.category, category);
        category.count++;
        if (c.subcategory) category.children.set(c.subcategory, (category.children.get(c.subcategory) ?? 0) + 1);
      }
      if (records.length < PAGE) break;
    }
    const order = this.vocabulary.data.divisions.map((d) => d.term);
    const byCount = (a: ClassNode, b: ClassNode) => b.count - a.count || a.name.localeCompare(b.name, 'zh');
    const nodes = [...root]
      .map(([name, d]) => ({
        name,
        count: d.count,
        children: [...d.children]
          .map(([cname, c]) => ({ name: cname, count: c.count, children: [...c.children].map(([sname, n]) => ({ name: sname, count: n, children: [] })).sort(byCount) }))
          .sort(byCount),
      }))
      .sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    this.tree = { seq, nodes };
    return nodes;
  }

  /**
   * Every published record naming the person — among the 著者 or in a 批校题跋 — with the
   * dynasty and role written there; only those of `dynasty` when it is given. Names and dynasties
   * compare folded (陸鳳儀 meets 陆凤仪). `truncated` when more candidates matched the name's
   * text than are read.
   */
  async personMentions(name: string, dynasty: string | null): Promise<{ mentions: PersonMention[]; truncated: boolean }> {
    const problems = [
      ...(name.trim() === '' || [...name].length > READING_LIMITS.nameChars ? [{ field: 'name', problem: `must be 1 to ${READING_LIMITS.nameChars} characters` }] : []),
      ...(dynasty !== null && [...dynasty].length > 10 ? [{ field: 'dynasty', problem: 'must be at most 10 characters' }] : []),
    ];
    if (problems.length) throw new ValidationError(problems);
    const key = fold(name.trim());
    const dynastyKey = dynasty ? fold(dynasty) : null;
    const same = (n: string, d: string | null | undefined) => fold(n) === key && (dynastyKey === null || (d ? fold(d) : null) === dynastyKey);
    const { total, hits } = await this.candidates(name.trim(), READING_LIMITS.personCandidates, 'year');
    const mentions: PersonMention[] = [];
    for (const record of await this.load(hits)) {
      for (const p of record.derived.creators) {
        if (same(p.name, p.dynasty)) mentions.push({ record, dynasty: p.dynasty, role: p.role, as: 'creator' });
      }
      for (const a of record.fields.annotations ?? []) {
        if (same(a.person, a.dynasty)) mentions.push({ record, dynasty: a.dynasty ?? null, role: a.role, as: 'annotation' });
      }
    }
    return { mentions, truncated: total > hits.length };
  }

  /**
   * Other published copies and editions of the record's work: the same title proper (folded)
   * and the same 卷 count (both unknown counts as the same), in any unit and edition. The index
   * ranks exact titles first, so the first candidates hold them.
   */
  async otherCopies(record: CensusRecord): Promise<CensusRecord[]> {
    const title = record.derived.title;
    const key = fold(title.title);
    const { hits } = await this.candidates(title.title, READING_LIMITS.copyCandidates, 'relevance');
    const others = hits.filter((cn) => cn !== record.fields.censusNumber);
    return (await this.load(others))
      .filter((r) => fold(r.derived.title.title) === key && (r.derived.title.juan?.count ?? null) === (title.juan?.count ?? null))
      .slice(0, READING_LIMITS.copies);
  }
}
