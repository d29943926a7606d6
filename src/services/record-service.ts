/**
 * Registering, editing, reviewing and reading census records. Every rule a write must pass is
 * checked before the store is touched, and the store writes the record and its history entry in
 * one transaction, so a refused or failed write changes nothing.
 */
import { z } from 'zod';
import { parseCensusNumber } from '../domain/census-number.js';
import {
  RecordInputSchema, deriveRecord, diffDerived, diffRecords, recordProblems, withoutReadOnlyKeys,
  type CensusRecord, type FieldChange, type RecordInput,
} from '../domain/census-record.js';
import { InvalidTransitionError, NotFoundError, ValidationError, VersionMismatchError, type FieldProblem } from '../domain/errors.js';
import { authorize, can, readableScope } from '../domain/permissions.js';
import { fieldProblems, parseOrThrow } from '../domain/validation.js';
import type { Vocabulary } from '../domain/vocabulary.js';
import { TRANSITIONS, TRANSITION_ACTIONS, transitionProblem, type Actor } from '../domain/workflow.js';
import type { CatalogueStore, HistoryEntry, Page, RecordFilter, RecordPage, RecordSort } from '../ports/catalogue-store.js';

export const TransitionSchema = z
  .object({ action: z.enum(TRANSITION_ACTIONS), comment: z.string().max(4000).optional() })
  .strict();

/** The filters and page of `GET /api/records` (read from the query by src/http/schemas/records.ts). */
export type RecordListQuery = Omit<RecordFilter, 'visibleTo'> & { sort: RecordSort; page: number; pageSize: number };

/** What `rederiveAll` did: records read, those whose derived parts changed, and how. */
export interface RederiveReport {
  total: number;
  changed: { censusNumber: string; changes: FieldChange[] }[];
  /** Records edited between reading and writing: the edit derived them already. */
  editedMeanwhile: number;
}

export class RecordService {
  constructor(
    private readonly store: CatalogueStore,
    private readonly vocabulary: Vocabulary,
    /** Told after every write that landed (the search indexer catches up). */
    private readonly afterWrite: () => void = () => {},
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Parses a client's record body: schema first, then the rules that need the vocabulary. */
  parseInput(body: unknown): RecordInput {
    const raw = withoutReadOnlyKeys(body);
    const parsed = RecordInputSchema.safeParse(raw, { reportInput: true });
    const problems = [
      ...(parsed.success ? [] : fieldProblems(parsed.error)),
      ...(raw && typeof raw === 'object' ? recordProblems(raw as Record<string, unknown>, this.vocabulary) : []),
    ];
    // One problem per field: the schema's, when both found one.
    const seen = new Set<string>();
    const unique = problems.filter((p) => !seen.has(p.field) && seen.add(p.field));
    if (!parsed.success || unique.length > 0) throw new ValidationError(unique);
    return parsed.data;
  }

  /**
   * What writing this input would do — create, update, or nothing because it is unchanged —
   * with every check a real write makes (fields, vocabulary, unit, permission, status), and
   * without writing. Imports use it for dry runs and to skip unchanged rows. `input` comes from
   * parseInput.
   */
  async plan(actor: Actor, input: RecordInput): Promise<{ action: 'create' } | { action: 'update' | 'unchanged'; current: CensusRecord }> {
    const current = await this.store.records.get(input.censusNumber);
    // A record the actor may not read is, to them, one that does not exist: nothing is compared
    // with it ("unchanged" would tell its fields), and registering its number is refused as such.
    if (!current || !can(actor, 'read', current)) {
      authorize(actor, 'register', { censusNumber: input.censusNumber });
      if (current) throw new NotFoundError(`Record ${input.censusNumber}`);
      await this.requireUnit(input, 'new');
      return { action: 'create' };
    }
    const { corrections = current.corrections, ...fields } = input;
    if (diffRecords(current, { fields, corrections, status: current.status }).length === 0) return { action: 'unchanged', current };
    authorize(actor, 'edit', current);
    await this.requireUnit(input, 'existing');
    return { action: 'update', current };
  }

  async register(actor: Actor, body: unknown): Promise<CensusRecord> {
    const input = this.parseInput(body);
    authorize(actor, 'register', { censusNumber: input.censusNumber });
    await this.requireUnit(input, 'new');
    const at = this.now().toISOString();
    const { corrections = {}, ...fields } = input;
    const record: CensusRecord = {
      fields,
      corrections,
      derived: deriveRecord(fields, corrections, this.vocabulary),
      status: 'draft',
      version: 1,
      createdAt: at,
      updatedAt: at,
      createdBy: actor.username,
      updatedBy: actor.username,
    };
    await this.store.records.create(record, this.entry(record, actor, 'create', diffRecords({}, record), null));
    this.afterWrite();
    return record;
  }

  async update(actor: Actor, censusNumber: string, body: unknown, expectedVersion: number): Promise<CensusRecord> {
    const current = await this.readable(actor, censusNumber);
    authorize(actor, 'edit', current);
    if (current.version !== expectedVersion) throw new VersionMismatchError();
    const input = this.parseInput(body);
    if (input.censusNumber !== censusNumber) {
      throw new ValidationError([{ field: 'censusNumber', problem: `must stay ${censusNumber}; a census number never changes` }]);
    }
    await this.requireUnit(input, 'existing');
    const { corrections = current.corrections, ...fields } = input;
    const next: CensusRecord = {
      ...current,
      fields,
      corrections,
      derived: deriveRecord(fields, corrections, this.vocabulary),
      version: current.version + 1,
      updatedAt: this.now().toISOString(),
      updatedBy: actor.username,
    };
    const changes = diffRecords(current, next);
    if (changes.length === 0) return current;
    await this.store.records.replace(next, expectedVersion, this.entry(next, actor, 'update', changes, null));
    this.afterWrite();
    return next;
  }

  async transition(actor: Actor, censusNumber: string, body: unknown, expectedVersion?: number): Promise<CensusRecord> {
    const { action, comment } = parseOrThrow(TransitionSchema, body);
    const current = await this.readable(actor, censusNumber);
    if (expectedVersion !== undefined && current.version !== expectedVersion) throw new VersionMismatchError();
    authorize(actor, action, current);
    const problem = transitionProblem(current, action, comment);
    if (problem) throw new InvalidTransitionError(problem.message, problem.details);
    const next: CensusRecord = {
      ...current,
      status: TRANSITIONS[action].to,
      version: current.version + 1,
      updatedAt: this.now().toISOString(),
      updatedBy: actor.username,
    };
    await this.store.records.replace(next, current.version, this.entry(next, actor, action, diffRecords(current, next), comment ?? null));
    this.afterWrite();
    return next;
  }

  /**
   * Notes on the record that its pages changed (added, or rearranged): a new version, so that
   * manifests and caches follow the ETag, a history entry, and the search index learns whether
   * it is digitized. `pages` are the record's pages now, in reading order. `expectedVersion`
   * guards an edit made from what the client last read.
   */
  async notePages(
    actor: Actor, censusNumber: string, action: 'scan' | 'structure', changes: HistoryEntry['changes'], pages: readonly Page[],
    expectedVersion?: number,
  ): Promise<CensusRecord> {
    const current = await this.readable(actor, censusNumber);
    if (expectedVersion !== undefined && current.version !== expectedVersion) throw new VersionMismatchError();
    if (changes.length === 0) return current;
    const next: CensusRecord = {
      ...current, pageCount: pages.length, cover: pages[0]?.imageId, version: current.version + 1, updatedAt: this.now().toISOString(), updatedBy: actor.username,
    };
    await this.store.records.replace(next, current.version, this.entry(next, actor, action, changes, null));
    this.afterWrite();
    return next;
  }

  /**
   * Derives every record's structure again from its statements as written (after a parser
   * change), one page of records at a time in census-number order. A record whose derived parts
   * change gets a new version (so ETags and the search index follow) and a history entry
   * `rederive`; its statements, status and updatedAt stay as they were. A record edited
   * meanwhile was derived by the edit and is left alone. With `dryRun` nothing is written.
   */
  async rederiveAll(options: { dryRun?: boolean; onProgress?: (done: number, total: number) => void } = {}): Promise<RederiveReport> {
    const total = await this.store.records.count();
    const report: RederiveReport = { total: 0, changed: [], editedMeanwhile: 0 };
    const pageSize = 200;
    for (let offset = 0; ; offset += pageSize) {
      const { records } = await this.store.records.list({ filter: { visibleTo: 'all' }, sort: 'censusNumber', offset, limit: pageSize });
      for (const record of records) {
        report.total += 1;
        const derived = deriveRecord(record.fields, record.corrections, this.vocabulary);
        const changes = diffDerived(record.derived, derived);
        if (changes.length > 0) {
          report.changed.push({ censusNumber: record.fields.censusNumber, changes });
          if (!options.dryRun) {
            const next: CensusRecord = { ...record, derived, version: record.version + 1 };
            const entry: HistoryEntry = {
              censusNumber: record.fields.censusNumber, at: this.now().toISOString(), actor: 'rederive-records', action: 'rederive',
              changes, comment: null, version: next.version,
            };
            try {
              await this.store.records.replace(next, record.version, entry);
            } catch (e) {
              if (!(e instanceof VersionMismatchError)) throw e;
              report.changed.pop();
              report.editedMeanwhile += 1;
            }
          }
        }
        options.onProgress?.(report.total, Math.max(total, report.total));
      }
      if (records.length < pageSize) break;
    }
    if (!options.dryRun && report.changed.length > 0) this.afterWrite();
    return report;
  }

  /** A record the actor may see; 404 otherwise, so drafts do not reveal that they exist. */
  async readable(actor: Actor | null, censusNumber: string): Promise<CensusRecord> {
    const record = await this.store.records.get(censusNumber);
    if (!record || !can(actor, 'read', record)) throw new NotFoundError(`Record ${censusNumber}`);
    return record;
  }

  async history(actor: Actor | null, censusNumber: string): Promise<HistoryEntry[]> {
    authorize(actor, 'readHistory', { censusNumber });
    await this.readable(actor, censusNumber);
    return this.store.records.history(censusNumber);
  }

  /**
   * The newest comment on each of the records (a reviewer's reason for returning one, say), for
   * those who read histories: the review queue shows it beside each row without asking per row.
   */
  async latestComments(actor: Actor | null, records: CensusRecord[]): Promise<Map<string, HistoryEntry>> {
    if (!can(actor, 'readHistory', { censusNumber: '' })) return new Map();
    const entries = await this.store.records.latestComments(records.map((r) => r.fields.censusNumber));
    return new Map(entries.map((e) => [e.censusNumber, e]));
  }

  async list(actor: Actor | null, query: RecordListQuery): Promise<RecordPage> {
    const visibleTo: RecordFilter['visibleTo'] = readableScope(actor);
    const { sort, page, pageSize, ...filters } = query;
    return this.store.records.list({
      filter: { ...filters, visibleTo },
      sort: sort as RecordSort,
      offset: (page - 1) * pageSize,
      limit: pageSize,
    });
  }

  /**
   * The census number's unit must be registered; a new record also needs a unit still taking
   * part — a disabled one (merged, closed) keeps its records, which stay editable, but takes no
   * more (CollectingUnit.disabled).
   */
  private async requireUnit(input: RecordInput, record: 'new' | 'existing'): Promise<void> {
    const parts = parseCensusNumber(input.censusNumber)!;
    const unit = await this.store.units.get(parts.province, parts.unit);
    const problem = !unit
      ? `no collecting unit ${parts.unit} is registered in province ${parts.province} (POST /api/units)`
      : record === 'new' && unit.disabled
        ? `collecting unit ${parts.province}-${parts.unit} no longer takes part (disabled): it registers no new records`
        : null;
    if (problem) throw new ValidationError([{ field: 'holdingUnit', problem } satisfies FieldProblem]);
  }

  private entry(
    record: CensusRecord, actor: Actor, action: HistoryEntry['action'], changes: HistoryEntry['changes'], comment: string | null,
  ): HistoryEntry {
    return {
      censusNumber: record.fields.censusNumber,
      at: record.updatedAt,
      actor: actor.username,
      action,
      changes,
      comment,
      version: record.version,
    };
  }
}
