/**
 * The open-data dump of the published catalogue: `catalogue.jsonl.gz` and `catalogue.csv.gz`
 * (what GET /api/exports/records.{jsonl,csv} give an anonymous reader — the same columns, by the
 * same code: SheetService.export — so a dump imports back as it is), a README and LICENSE, and
 * SHA256SUMS of them all (`sha256sum -c SHA256SUMS` checks a download). Made again every
 * GUJI_DUMP_HOURS and when an admin asks; served at the stable URLs /open-data/{file}.
 *
 * Each file is written beside its final name and renamed into place, SHA256SUMS last, so a
 * reader never gets a half-written file; between two renames a download may pair a new file
 * with the old sums for a moment, which the checksum then reports.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { NotFoundError } from '../domain/errors.js';
import { authorize } from '../domain/permissions.js';
import type { Actor } from '../domain/workflow.js';
import type { SheetService } from './sheet-service.js';

/** The files of a dump, in the order SHA256SUMS lists them; nothing else is served. */
export const DUMP_FILES = ['catalogue.jsonl.gz', 'catalogue.csv.gz', 'README.txt', 'LICENSE.txt', 'SHA256SUMS'] as const;
export type DumpFile = (typeof DUMP_FILES)[number];

export interface DumpSummary {
  generatedAt: string;
  records: number;
  files: { name: DumpFile; bytes: number; sha256: string | null }[];
}

export const DEFAULT_DATA_LICENSE = 'https://creativecommons.org/publicdomain/zero/1.0/';

export class OpenDataService {
  private running: Promise<DumpSummary> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly sheets: SheetService,
    /** Where the dump is kept (DATA_DIR/open-data). */
    readonly dir: string,
    private readonly options: { baseUrl: string; license: string; log?: (message: string, error?: unknown) => void },
  ) {}

  /** Makes the dump again (one at a time: a request during a run shares it). Admins only. */
  regenerate(actor: Actor | null): Promise<DumpSummary> {
    authorize(actor, 'regenerateOpenData', null);
    return this.generate();
  }

  generate(): Promise<DumpSummary> {
    this.running ??= this.write().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Regenerates every `hours` (unref'd: it never keeps the process alive), and now when no dump exists. */
  schedule(hours: number): void {
    const run = () => void this.generate().catch((e: unknown) => this.options.log?.('open-data dump failed', e));
    void stat(path.join(this.dir, 'SHA256SUMS')).then(
      (s) => Date.now() - s.mtimeMs > hours * 3_600_000 && run(),
      () => run(),
    );
    this.timer = setInterval(run, hours * 3_600_000);
    this.timer.unref();
  }

  /** Stops the schedule and waits for a dump under way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => {});
  }

  /** A dump file's path, when it exists. */
  async file(name: string): Promise<string> {
    const file = DUMP_FILES.find((f) => f === name);
    const where = file && path.join(this.dir, file);
    if (!where || !(await stat(where).then(() => true, () => false))) throw new NotFoundError(`The open-data file ${name}`);
    return where;
  }

  /** What the last dump holds (from its summary file), or null before the first. */
  async summary(): Promise<DumpSummary | null> {
    return readFile(path.join(this.dir, 'summary.json'), 'utf8').then((t) => JSON.parse(t) as DumpSummary, () => null);
  }

  private async write(): Promise<DumpSummary> {
    await mkdir(this.dir, { recursive: true });
    const generatedAt = new Date().toISOString();
    const staged: [DumpFile, string][] = [];
    const stage = (name: DumpFile) => {
      const temporary = path.join(this.dir, `.${name}.part-${process.pid}`);
      staged.push([name, temporary]);
      return temporary;
    };
    try {
      const sums = new Map<DumpFile, { bytes: number; sha256: string }>();
      let records = 0;
      for (const [name, format] of [['catalogue.jsonl.gz', 'jsonl'], ['catalogue.csv.gz', 'csv']] as const) {
        const hash = createHash('sha256');
        let bytes = 0;
        let lines = 0;
        const gzip = createGzip();
        const count = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            for (const b of chunk) if (b === 0x0a) lines += 1;
            done(null, chunk);
          },
        });
        const tap = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            hash.update(chunk);
            bytes += chunk.length;
            done(null, chunk);
          },
        });
        const written = pipeline(count, gzip, tap, createWriteStream(stage(name)));
        // The anonymous reader's export: the published catalogue only.
        await this.sheets.export(null, {}, format, count);
        await written;
        if (format === 'jsonl') records = lines;
        sums.set(name, { bytes, sha256: hash.digest('hex') });
      }
      const texts: [DumpFile, string][] = [
        ['README.txt', readme(generatedAt, records, this.options.baseUrl, this.options.license)],
        ['LICENSE.txt', license(this.options.license)],
      ];
      for (const [name, text] of texts) {
        const data = Buffer.from(text, 'utf8');
        await writeFile(stage(name), data);
        sums.set(name, { bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') });
      }
      const sumsText = [...sums].map(([name, s]) => `${s.sha256}  ${name}\n`).join('');
      await writeFile(stage('SHA256SUMS'), sumsText);
      for (const [name, temporary] of staged) await rename(temporary, path.join(this.dir, name));
      const summary: DumpSummary = {
        generatedAt, records,
        files: DUMP_FILES.map((name) => ({ name, bytes: name === 'SHA256SUMS' ? Buffer.byteLength(sumsText) : sums.get(name)!.bytes, sha256: sums.get(name)?.sha256 ?? null })),
      };
      await writeFile(path.join(this.dir, 'summary.json'), JSON.stringify(summary, null, 2));
      return summary;
    } finally {
      await Promise.all(staged.map(([, temporary]) => rm(temporary, { force: true })));
    }
  }
}

function readme(generatedAt: string, records: number, baseUrl: string, licenseUri: string): string {
  return `guji open data: the published census catalogue (全国古籍普查登记)
Generated ${generatedAt}; ${records} published records.
Source: ${baseUrl} — these files are at ${baseUrl}/open-data/{file} and are made again on a schedule.

catalogue.jsonl.gz  one record a line (JSON): the census fields as surveyors wrote them, under the
                    keys of ${baseUrl}/api/openapi.json (RecordInput), and a surveyor's corrections
                    to derived structure. Chinese text is as written (traditional stays traditional).
catalogue.csv.gz    the same records as the census spreadsheet (UTF-8 with BOM): the census headings
                    (普查编号, 索书号, 题名卷数, 著者, 版本, 册数, 存卷, 收藏单位 …), then export-only columns
                    derived from the statements (版本年代（公元）, 底本, 藏者, 存卷数 …).
                    Both import back into guji (npm run import) unchanged.
SHA256SUMS          SHA-256 of every file here: check a download with \`sha256sum -c SHA256SUMS\`.

Per record, MODS: ${baseUrl}/api/records/{censusNumber}.mods.xml; MARC 21: ${baseUrl}/api/exports/records.mrc
and .marcxml; IIIF manifests of digitized books: ${baseUrl}/iiif/collection.

Licence: ${licenseUri} (LICENSE.txt). Scans are under the rights each manifest states.
`;
}

function license(uri: string): string {
  if (uri === DEFAULT_DATA_LICENSE) {
    return `The catalogue records in this dump are dedicated to the public domain under the
Creative Commons CC0 1.0 Universal Public Domain Dedication:
${uri}
(legal code: https://creativecommons.org/publicdomain/zero/1.0/legalcode).
You may copy, modify and distribute them, even for commercial purposes, without asking permission.
Citing the census numbers (普查编号) and the holding institutions is appreciated.
`;
  }
  return `The catalogue records in this dump are published under the licence at:\n${uri}\n`;
}
