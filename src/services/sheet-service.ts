/**
 * Census spreadsheets in and out. Import upserts by census number: a new number creates a
 * record, a changed row updates it, an unchanged row writes nothing (no new version, no
 * history). Every row is checked as the API checks a record; rows that pass land one by one
 * (each record with its history in one transaction), rows that fail are reported with their row
 * number as the spreadsheet shows it, the column and the problem. A dry run reports the same
 * without writing.
 */
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { COLUMNS, DERIVED_HEADINGS, derivedCells, HEADINGS, headingOf, recordToRow, rowToInput, sheetLayout, withUnsheetedFields, type SheetLayout } from '../domain/census-sheet.js';
import { AppError, MissingHeadingsError, NotFoundError, ServiceStoppingError, ValidationError, type FieldProblem } from '../domain/errors.js';
import { authorize, can } from '../domain/permissions.js';
import type { Actor } from '../domain/workflow.js';
import type { CatalogueStore, ImportJob as StoredImportJob } from '../ports/catalogue-store.js';
import type { SheetFiles, SheetFormat } from '../ports/sheets.js';
import type { RecordService } from './record-service.js';
import { RUNNER, runnerAlive, shownJob } from './job-runner.js';
import type { SearchIndexer, SearchService } from './search-service.js';

/** The longest an import holds the event loop before letting other requests in. */
const IMPORT_TURN_MS = 50;

export interface RowProblem {
  row: number;
  /** The column heading as the sheet has it, or null for a problem of the whole row. */
  column: string | null;
  problem: string;
  /** The cell at fault as the sheet has it (null for a whole-row problem or an empty cell): the surveyor sees what was refused. */
  value: string | null;
  /** The refusal's code (src/domain/errors.ts) when the row was refused as a whole, for the page to translate. */
  code?: string;
}

/** An import started with `Prefer: respond-async` (the store keeps it: src/ports/catalogue-store.ts). */
export type ImportJob = StoredImportJob<ImportReport>;

export interface ImportReport {
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** One entry per problem; a rejected row may have several. */
  problems: RowProblem[];
  /** Headings the sheet has that no census field answers to (not read). */
  ignoredColumns: string[];
  /** Export-only columns the sheet has (版本年代（公元） …): derived from the statements, not read. */
  derivedColumns: string[];
}

export class SheetService {
  constructor(
    private readonly store: CatalogueStore,
    private readonly records: RecordService,
    private readonly search: SearchService,
    private readonly sheets: SheetFiles,
    private readonly indexer: SearchIndexer,
    private readonly log: (message: string, error?: unknown) => void = console.error,
  ) {}

  private readonly jobs = new Map<string, ImportJob>();
  /** Imports under way in this process, and why the service is stopping (stop()), or null. */
  private readonly active = new Set<Promise<unknown>>();
  private stopping: string | null = null;

  /**
   * Starts an import that goes on after the answer; the job tells its progress and, at the end,
   * the report. The store keeps the job as it starts and ends (its progress lives here): a
   * restart ends an unfinished one (recover()), and the rows that landed stay — importing the
   * sheet again finishes the rest (an import is an upsert). `cleanup` runs when the import
   * ends, however it ends.
   */
  async startImport(
    actor: Actor, file: string, format: SheetFormat, options: { dryRun: boolean; filename: string }, cleanup: () => Promise<void>,
  ): Promise<Omit<ImportJob, 'runner'>> {
    authorize(actor, 'importSheet', null);
    if (this.stopping !== null) throw new ServiceStoppingError('The service is stopping: send the sheet again in a minute.');
    const now = Date.now();
    for (const [id, old] of this.jobs) if (now - Date.parse(old.createdAt) > 86_400_000) this.jobs.delete(id);
    const at = new Date(now).toISOString();
    const job: ImportJob = {
      id: randomUUID(), createdBy: actor.username, createdAt: at, updatedAt: at, filename: options.filename, dryRun: options.dryRun,
      status: 'running', rows: 0, read: 0, report: null, error: null, runner: RUNNER,
    };
    await this.store.jobs.saveImport(job);
    this.jobs.set(job.id, job);
    const progress = ({ rows, read }: { rows: number; read: number }) => Object.assign(job, { rows, read, updatedAt: new Date().toISOString() });
    const whole = this.import(actor, file, format, { dryRun: options.dryRun, onProgress: progress })
      .then((report) => Object.assign(job, { status: 'done', report, rows: report.rows, read: 1 }))
      .catch((e: unknown) => {
        const error = e instanceof AppError ? e : new AppError(500, 'internal', 'The import stopped on our side; it has been logged.');
        if (error.status === 500) this.log('import job failed', e);
        const status = error instanceof ServiceStoppingError ? 'interrupted' : 'failed';
        Object.assign(job, { status, error: { code: error.code, message: error.message, details: error.details } });
      })
      .finally(async () => {
        job.updatedAt = new Date().toISOString();
        await this.store.jobs.saveImport(job).catch((e: unknown) => this.log(`import job ${job.id} not saved`, e));
        return cleanup();
      });
    // Shutdown waits for the job to be saved as it ended, not only for its rows.
    this.active.add(whole);
    void whole.finally(() => this.active.delete(whole));
    return shownJob(job);
  }

  /** An import job, to whoever started it and to admins. */
  async importJob(actor: Actor, id: string): Promise<Omit<ImportJob, 'runner'>> {
    const job = this.jobs.get(id) ?? ((await this.store.jobs.getImport(id)) as ImportJob | null);
    if (!job || !can(actor, 'readImport', job)) throw new NotFoundError(`Import ${id}`);
    return shownJob(job);
  }

  /**
   * Graceful shutdown: takes no new import, and lets each running one finish the row in hand and
   * stop there (a job says it was interrupted and why). Resolves when every import has.
   */
  async stop(reason: string): Promise<void> {
    this.stopping = reason;
    await Promise.allSettled([...this.active]);
  }

  /** Past the shutdown deadline: keeps the imports still in a row as interrupted, which the exit then ends. */
  async abandon(reason: string): Promise<void> {
    const running = [...this.jobs.values()].filter((j) => j.status === 'running');
    for (const job of running) {
      Object.assign(job, { status: 'interrupted', updatedAt: new Date().toISOString(), error: { code: 'service_stopping', message: `${reason} while a row was being written`, details: [] } });
    }
    await Promise.allSettled(running.map((job) => this.store.jobs.saveImport(job)));
  }

  /** At start: imports left unfinished by a process that is gone end as failed, saying why. */
  async recover(): Promise<number> {
    let failed = 0;
    for (const job of (await this.store.jobs.unfinished()).imports) {
      if (runnerAlive(job.runner)) continue;
      const message = job.error?.message ?? `The service stopped during the import, after ${job.rows} rows. ${job.dryRun ? 'Nothing was written; run the check again.' : 'Rows that passed before then have landed; import the sheet again to finish (rows that landed come back unchanged).'}`;
      await this.store.jobs.saveImport({ ...job, status: 'failed', updatedAt: new Date().toISOString(), error: { code: 'interrupted', message, details: [] } });
      failed += 1;
    }
    return failed;
  }

  async import(
    actor: Actor, file: string, format: SheetFormat, options: { dryRun: boolean; onProgress?: (progress: { rows: number; read: number }) => void },
  ): Promise<ImportReport> {
    authorize(actor, 'importSheet', null);
    if (this.stopping !== null) throw new ServiceStoppingError('The service is stopping: send the sheet again in a minute.');
    const work = this.importRows(actor, file, format, options);
    this.active.add(work);
    try {
      return await work;
    } finally {
      this.active.delete(work);
    }
  }

  private async importRows(
    actor: Actor, file: string, format: SheetFormat, options: { dryRun: boolean; onProgress?: (progress: { rows: number; read: number }) => void },
  ): Promise<ImportReport> {
    const report: ImportReport = { dryRun: options.dryRun, rows: 0, created: 0, updated: 0, unchanged: 0, rejected: 0, problems: [], ignoredColumns: [], derivedColumns: [] };
    let layout: SheetLayout | null = null;
    let headings: string[] = [];
    const firstRowOf = new Map<string, number>();
    let turn = Date.now();
    for await (const { row, cells, read } of this.sheets.rows(file, format)) {
      // The rows of a chunk of the file, each written synchronously, would otherwise hold the
      // event loop for as long as the chunk takes: other readers' requests wait, and keep-alive
      // sockets time out under them. Let the loop turn every IMPORT_TURN_MS.
      if (Date.now() - turn >= IMPORT_TURN_MS) {
        await nextTurn();
        turn = Date.now();
      }
      if (this.stopping !== null) throw this.stoppedAt(row, report, options.dryRun);
      options.onProgress?.({ rows: report.rows, read });
      if (!layout) {
        headings = cells.map((c) => (c === null ? '' : String(c)));
        layout = sheetLayout(headings);
        if (layout.missing.length > 0) throw new MissingHeadingsError(layout.missing);
        report.ignoredColumns = layout.unknown;
        report.derivedColumns = layout.derived;
        continue;
      }
      if (cells.every((c) => c === null || c === '')) continue;
      report.rows += 1;
      const reject = (problems: { column: string | null; problem: string; code?: string }[]) => {
        report.rejected += 1;
        report.problems.push(...problems.map((p) => {
          const cell = p.column === null ? null : cells[headings.indexOf(p.column)];
          return { row, ...p, value: cell === null || cell === undefined || cell === '' ? null : String(cell) };
        }));
      };
      const { input, problems } = rowToInput(cells, layout, headings);
      if (problems.length > 0) {
        reject(problems.map((p) => ({ column: p.field, problem: p.problem })));
        continue;
      }
      const first = input.censusNumber ? firstRowOf.get(input.censusNumber) : undefined;
      if (first !== undefined) {
        reject([{ column: this.headingIn(headings, 'censusNumber'), problem: `repeats the census number of row ${first}` }]);
        continue;
      }
      if (input.censusNumber) firstRowOf.set(input.censusNumber, row);
      try {
        const stored = input.censusNumber ? await this.store.records.get(input.censusNumber) : null;
        // A record the actor may not read is, to this import, a record that does not exist: its
        // fields are not merged, not compared ("unchanged" would tell them), and the row is
        // refused as registering that number would be — which it is, for whoever may not read it.
        const current = stored && can(actor, 'read', stored) ? stored : null;
        const parsed = this.records.parseInput(current ? withUnsheetedFields(input, layout, current.fields) : input);
        const plan = await this.records.plan(actor, parsed);
        if (plan.action === 'unchanged') report.unchanged += 1;
        else if (plan.action === 'create') {
          if (!options.dryRun) await this.records.register(actor, parsed);
          report.created += 1;
        } else {
          if (!options.dryRun) await this.records.update(actor, parsed.censusNumber, parsed, plan.current.version);
          report.updated += 1;
        }
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        if (e.details.length === 0) reject([{ column: null, problem: e.message, code: e.code }]);
        else reject(e.details.map((d: FieldProblem) => ({ column: d.field ? this.headingIn(headings, d.field) : null, problem: d.problem })));
      }
    }
    if (!layout) throw new ValidationError([{ field: 'file', problem: 'the sheet is empty' }]);
    return report;
  }

  private stoppedAt(row: number, report: ImportReport, dryRun: boolean): ServiceStoppingError {
    return new ServiceStoppingError(`${this.stopping}: the import stopped before row ${row}, after ${report.rows} rows (${report.created} created, ${report.updated} updated, ${report.rejected} rejected). `
      + (dryRun ? 'Nothing was written; run the check again.' : 'The rows that passed have landed; import the sheet again to finish (rows that landed come back unchanged).'));
  }

  /** The sheet's own heading for a record key (or the census heading when the sheet has none). */
  private headingIn(headings: readonly string[], field: string): string {
    const key = field.split('.').slice(0, field.startsWith('damage.') ? 2 : 1).join('.');
    const column = COLUMNS.find((c) => c.aliases[0] === key || (key === 'damage' && c.aliases[0] === 'damage.grade'));
    const own = headings.find((h) => column && [column.heading, ...column.aliases].includes(h.trim()));
    return own?.trim() ?? headingOf(field) ?? field;
  }

  /** Streams every record the search filters select, in census-number order, as a sheet or JSON Lines. */
  async export(actor: Actor | null, params: Record<string, unknown>, format: SheetFormat | 'jsonl', out: Writable): Promise<void> {
    // An export right after a write (an import, say) must include it: let the index catch up first.
    await this.indexer.catchUp();
    const records = this.matching(actor, params);
    if (format === 'jsonl') {
      for await (const r of records) {
        if (!out.write(`${JSON.stringify({ ...r.fields, ...(Object.keys(r.corrections).length ? { corrections: r.corrections } : {}) })}\n`)) {
          await new Promise((resolve) => out.once('drain', resolve));
        }
      }
      out.end();
      return;
    }
    const rows = (async function* () {
      for await (const r of records) yield [...recordToRow(r.fields), ...derivedCells(r)];
    })();
    await this.sheets.write(format, [...HEADINGS, ...DERIVED_HEADINGS], rows, out);
  }

  private async *matching(actor: Actor | null, params: Record<string, unknown>) {
    for (const censusNumber of await this.search.censusNumbers(actor, { sort: 'censusNumber', ...params })) {
      const record = await this.store.records.get(censusNumber);
      if (record) yield record;
    }
  }
}
