/**
 * The embedded search index: SQLite FTS5 in its own file in the data directory, so it survives
 * restarts without a rebuild and starts in milliseconds. Text is folded and cut one CJK character
 * per token (src/domain/search-text.ts); every query is a phrase query, which gives Chinese
 * substring matching with recall 1.0 (../shared/SEARCH.md). The FTS table is contentless: the
 * documents themselves live in the catalogue store.
 */
import type Database from 'better-sqlite3';
import { fold } from '../../domain/text-fold.js';
import { indexText, queryPhrases } from '../../domain/search-text.js';
import {
  FACETS, type FacetCount, type FacetName, type SearchDocument, type SearchIndex, type SearchQuery, type SearchResult,
} from '../../ports/search-index.js';
import { openDatabase } from './sqlite.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS docs (
  id INTEGER PRIMARY KEY,
  census_number TEXT NOT NULL UNIQUE,
  title_proper TEXT NOT NULL,
  title TEXT NOT NULL,
  persons TEXT NOT NULL,
  edition TEXT NOT NULL,
  division TEXT, category TEXT, edition_type TEXT, dynasty TEXT, unit TEXT, grade TEXT, damage_grade TEXT,
  digitized TEXT, status TEXT,
  year_from INTEGER, year_to INTEGER
);
CREATE INDEX IF NOT EXISTS docs_status ON docs (status, census_number);
CREATE INDEX IF NOT EXISTS docs_year_asc ON docs (year_from IS NULL, year_from, census_number);
CREATE INDEX IF NOT EXISTS docs_year_desc ON docs (year_from IS NULL, -year_from, census_number);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
  title, persons, edition, other,
  content = '', contentless_delete = 1,
  tokenize = "unicode61 remove_diacritics 0 tokenchars '□'"
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
`;

const COLUMN: Record<FacetName, string> = {
  division: 'division', category: 'category', editionType: 'edition_type', dynasty: 'dynasty', unit: 'unit',
  grade: 'grade', damageGrade: 'damage_grade', digitized: 'digitized', status: 'status',
};

const SORTS: Record<SearchQuery['sort'], string> = {
  relevance: 'tier, d.census_number',
  censusNumber: 'd.census_number',
  '-censusNumber': 'd.census_number DESC',
  year: 'd.year_from IS NULL, d.year_from, d.census_number',
  '-year': 'd.year_from IS NULL, -d.year_from, d.census_number',
};

/** FTS5 string literal: a phrase in double quotes, quotes doubled. */
const phrase = (tokens: readonly string[]) => `"${tokens.map((t) => t.replace(/"/g, '""')).join(' ')}"`;

export class FtsSearchIndex implements SearchIndex {
  readonly description: string;
  private readonly db: Database.Database;
  private readonly findId;
  private readonly insertDoc;
  private readonly updateDoc;
  private readonly deleteFts;
  private readonly insertFts;
  private readonly setSeq;

  constructor(file: string) {
    this.db = openDatabase(file, SCHEMA);
    this.findId = this.db.prepare('SELECT id FROM docs WHERE census_number = ?').pluck();
    const columns = `census_number, title_proper, title, persons, edition, ${Object.values(COLUMN).join(', ')}, year_from, year_to`;
    const values = `@censusNumber, @titleProper, @title, @persons, @edition, ${Object.keys(COLUMN).map((k) => `@${k}`).join(', ')}, @yearFrom, @yearTo`;
    this.insertDoc = this.db.prepare(`INSERT INTO docs (${columns}) VALUES (${values})`);
    this.updateDoc = this.db.prepare(`UPDATE docs SET (${columns}) = (${values}) WHERE id = @id`);
    this.deleteFts = this.db.prepare('DELETE FROM fts WHERE rowid = ?');
    this.insertFts = this.db.prepare('INSERT INTO fts (rowid, title, persons, edition, other) VALUES (?, ?, ?, ?, ?)');
    this.setSeq = this.db.prepare("INSERT INTO meta (key, value) VALUES ('seq', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    this.description = `SQLite FTS5 ${file}`;
  }

  async upsert(documents: SearchDocument[], seq: number): Promise<void> {
    this.db.transaction(() => {
      for (const doc of documents) {
        const row = {
          censusNumber: doc.censusNumber,
          titleProper: fold(doc.titleProper),
          title: fold(doc.text.title),
          persons: fold(doc.text.persons),
          edition: fold(doc.text.edition),
          ...doc.facets,
          yearFrom: doc.yearFrom,
          yearTo: doc.yearTo,
        };
        let id = this.findId.get(doc.censusNumber) as number | undefined;
        if (id === undefined) {
          id = Number(this.insertDoc.run(row).lastInsertRowid);
        } else {
          this.updateDoc.run({ ...row, id });
          this.deleteFts.run(id);
        }
        this.insertFts.run(id, indexText(doc.text.title), indexText(doc.text.persons), indexText(doc.text.edition), indexText(doc.text.other));
      }
      this.setSeq.run(seq);
    })();
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const where: string[] = [];
    const params: unknown[] = [];
    const phrases = queryPhrases(query.text);
    if (phrases.length > 0) {
      where.push('d.id IN (SELECT rowid FROM fts WHERE fts MATCH ?)');
      params.push(phrases.map((p) => phrase(p.tokens) + (p.prefix ? '*' : '')).join(' AND '));
    }
    for (const facet of FACETS) {
      const values = query.filters[facet];
      if (!values) continue;
      where.push(values.length ? `d.${COLUMN[facet]} IN (${values.map(() => '?').join(',')})` : '0');
      params.push(...values);
    }
    if (query.yearFrom !== undefined) {
      where.push('d.year_to >= ?');
      params.push(query.yearFrom);
    }
    if (query.yearTo !== undefined) {
      where.push('d.year_from <= ?');
      params.push(query.yearTo);
    }
    if (query.visibleTo === 'published') where.push("d.status = 'published'");
    else if (typeof query.visibleTo === 'object') {
      where.push("(d.unit = ? OR d.status = 'published')");
      params.push(query.visibleTo.unit);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';

    // Ranking (issue: exact title > title prefix > title substring > person > edition > other).
    const q = phrases[0]?.folded ?? '';
    const tier = `CASE WHEN d.title_proper = ? THEN 0 WHEN instr(d.title_proper, ?) = 1 THEN 1 WHEN instr(d.title, ?) > 0 THEN 2
      WHEN instr(d.persons, ?) > 0 THEN 3 WHEN instr(d.edition, ?) > 0 THEN 4 ELSE 5 END`;
    const hits = this.db
      .prepare(`SELECT d.census_number, ${tier} AS tier FROM docs d ${clause} ORDER BY ${SORTS[query.sort]} LIMIT ? OFFSET ?`)
      .all(q, q, q, q, q, ...params, query.limit, query.offset) as { census_number: string }[];
    const total = this.db.prepare(`SELECT count(*) FROM docs d ${clause}`).pluck().get(...params) as number;

    const facets: SearchResult['facets'] = {};
    for (const facet of query.facets) {
      const column = COLUMN[facet];
      facets[facet] = (
        this.db
          .prepare(`SELECT d.${column} AS value, count(*) AS count FROM docs d ${clause} ${clause ? 'AND' : 'WHERE'} d.${column} IS NOT NULL
            GROUP BY d.${column} ORDER BY count DESC, value`)
          .all(...params) as FacetCount[]
      );
    }
    return { total, hits: hits.map((h) => h.census_number), facets };
  }

  async lastSeq(): Promise<number> {
    return (this.db.prepare("SELECT value FROM meta WHERE key = 'seq'").pluck().get() as number | undefined) ?? 0;
  }

  async clear(): Promise<void> {
    this.db.transaction(() => {
      this.db.exec("DELETE FROM fts; DELETE FROM docs; DELETE FROM meta WHERE key = 'seq';");
    })();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
