/**
 * Spreadsheets (docs/API.md): POST /api/imports (multipart field `file`, `.csv` or `.xlsx`,
 * `?dryRun=true` to only check) and GET /api/exports/records.{csv,xlsx,jsonl} with the filters
 * of search.
 */
import path from 'node:path';
import { Router } from 'express';
import { BadRequestError, NotFoundError, TooLargeError } from '../../domain/errors.js';
import { parseOrThrow } from '../../domain/validation.js';
import type { InputLimits } from '../../config.js';
import type { SheetFormat } from '../../ports/sheets.js';
import type { Services } from '../../services/services.js';
import { requireActor } from '../auth.js';
import { structureSheetsResult } from '../mappers.js';
import { requiredVersion } from '../representations.js';
import { attachment } from '../content-disposition.js';
import { DryRunQuery } from '../schemas/sheets.js';
import { uploadReceiver, type UploadedFile } from '../upload-storage.js';

const MEDIA = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', jsonl: 'application/jsonl; charset=utf-8' };

/** The format of an uploaded sheet, from its name; refuses what is too large or neither CSV nor XLSX. */
function sheetFormatOf(file: UploadedFile, maxBytes: number): SheetFormat {
  if (file.tooLarge) throw new TooLargeError(`The sheet is larger than ${+(maxBytes / 2 ** 20).toFixed(2)} MiB (GUJI_MAX_SHEET_MB); split it.`);
  const extension = path.extname(file.originalname).toLowerCase().slice(1);
  if (extension !== 'csv' && extension !== 'xlsx') throw new BadRequestError('unsupported_format', 'Send a .csv or an .xlsx file.');
  return extension;
}

export function sheetRoutes(services: Services, baseUrl: string, maxBytes: number, limits: Pick<InputLimits, 'maxUploadBytes'>) {
  const formatOf = (file: UploadedFile) => sheetFormatOf(file, maxBytes);
  // A request brings at most two sheets (a volume sheet and a table of contents).
  const receive = uploadReceiver(services.receivingPath, { maxFileBytes: maxBytes, maxRequestBytes: limits.maxUploadBytes, maxFiles: 2 });

  const imports = Router();
  imports.post('/', async (req, res) => {
    const actor = requireActor(req);
    await receive(req, res, [{ name: 'file', maxCount: 1 }], async ({ files, handOver }) => {
      const file = files.file?.[0];
      if (!file) throw new BadRequestError('no_file', 'Send the sheet in the multipart field "file".');
      const format = formatOf(file);
      const { dryRun } = parseOrThrow(DryRunQuery, req.query);
      // RFC 7240: `Prefer: respond-async` gets 202 at once and a job to follow (large sheets).
      if (/\brespond-async\b/.test(req.get('prefer') ?? '')) {
        const job = await services.sheets.startImport(actor, file.path, format, { dryRun, filename: file.originalname }, handOver());
        res.status(202).set('Preference-Applied', 'respond-async').location(`${baseUrl}/api/imports/${job.id}`).json(job);
        return;
      }
      res.json(await services.sheets.import(actor, file.path, format, { dryRun }));
    });
  });
  imports.get('/:id', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await services.sheets.importJob(requireActor(req), String(req.params.id)));
  });

  const exports = Router();
  exports.get('/records.:format', async (req, res) => {
    const format = String(req.params.format);
    if (format !== 'csv' && format !== 'xlsx' && format !== 'jsonl') throw new NotFoundError(`Export format ${format}`);
    res.type(MEDIA[format]);
    res.set('Content-Disposition', attachment(`records.${format}`));
    await services.sheets.export(req.actor ?? null, req.query as Record<string, unknown>, format, res);
  });
  // The NLC template's structure sheets of a digitized record: 分册表 (field `volumes`) and 目次表 (`contents`).
  const structure = Router();
  structure.post('/:censusNumber/structure/sheets', async (req, res) => {
    const actor = requireActor(req);
    await receive(req, res, [{ name: 'volumes', maxCount: 1 }, { name: 'contents', maxCount: 1 }], async ({ files }) => {
      const given = Object.fromEntries(
        Object.entries(files).map(([field, [file]]) => [field, { path: file!.path, format: formatOf(file!) }]),
      );
      if (Object.keys(given).length === 0) {
        throw new BadRequestError('no_file', 'Send a volume sheet (field "volumes"), a table of contents (field "contents"), or both.');
      }
      const { dryRun } = parseOrThrow(DryRunQuery, req.query);
      const censusNumber = String(req.params.censusNumber);
      const expectedVersion = dryRun ? null : requiredVersion(req);
      const pages = await services.structure.apply(actor, censusNumber, given, expectedVersion);
      res.json(structureSheetsResult(censusNumber, dryRun, pages));
    });
  });
  structure.get('/:censusNumber/structure/sheets/:sheet.:format', async (req, res) => {
    const { sheet, format } = req.params;
    if ((sheet !== 'volumes' && sheet !== 'contents') || (format !== 'csv' && format !== 'xlsx')) throw new NotFoundError(`Structure sheet ${sheet}.${format}`);
    res.type(MEDIA[format]);
    res.set('Content-Disposition', attachment(`${req.params.censusNumber}-${sheet}.${format}`));
    await services.structure.export(req.actor ?? null, String(req.params.censusNumber), sheet, format, res);
  });
  return { imports, exports, structure };
}
