/**
 * Spreadsheets (../shared/API.md): POST /api/imports (multipart field `file`, `.csv` or `.xlsx`,
 * `?dryRun=true` to only check) and GET /api/exports/records.{csv,xlsx,jsonl} with the filters
 * of search.
 */
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { Router } from 'express';
import multer from 'multer';
import { BadRequestError, NotFoundError } from '../../domain/errors.js';
import { UnreadableSheetError, type SheetFormat } from '../../ports/sheets.js';
import type { Services } from '../../services/services.js';
import { requireActor } from '../auth.js';
import { receivingStorage, type ReceivedFile } from '../upload-storage.js';

const MAX_SHEET_BYTES = 200 * 2 ** 20;
const MEDIA = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', jsonl: 'application/jsonl; charset=utf-8' };

export function sheetRoutes(services: Services) {
  const upload = multer({ storage: receivingStorage(services.receivingPath, MAX_SHEET_BYTES), defParamCharset: 'utf8', limits: { files: 1 } });

  const imports = Router();
  imports.post('/', (req, res, next) => {
    const actor = requireActor(req);
    upload.single('file')(req, res, async (error: unknown) => {
      const file = req.file as (Express.Multer.File & ReceivedFile) | undefined;
      try {
        if (error) throw new BadRequestError('bad_upload', `The upload could not be read: ${(error as Error).message}`);
        if (!file) throw new BadRequestError('no_file', 'Send the sheet in the multipart field "file".');
        if (file.tooLarge) throw new BadRequestError('file_too_large', `The sheet is larger than ${MAX_SHEET_BYTES / 2 ** 20} MiB; split it.`);
        const extension = path.extname(file.originalname).toLowerCase().slice(1);
        if (extension !== 'csv' && extension !== 'xlsx') throw new BadRequestError('unsupported_format', 'Send a .csv or an .xlsx file.');
        const dryRun = req.query.dryRun === 'true' || req.query.dryRun === '1';
        const report = await services.sheets.import(actor, file.path, extension as SheetFormat, { dryRun });
        res.json(report);
      } catch (e) {
        next(e instanceof UnreadableSheetError ? new BadRequestError('unreadable_sheet', `The file cannot be read: ${e.message}`) : e);
      } finally {
        if (file?.path && !file.tooLarge) await unlink(file.path).catch(() => {});
      }
    });
  });

  const exports = Router();
  exports.get('/records.:format', async (req, res) => {
    const format = String(req.params.format);
    if (format !== 'csv' && format !== 'xlsx' && format !== 'jsonl') throw new NotFoundError(`Export format ${format}`);
    res.type(MEDIA[format]);
    res.set('Content-Disposition', `attachment; filename="records.${format}"`);
    await services.sheets.export(req.actor ?? null, req.query as Record<string, unknown>, format, res);
  });
  return { imports, exports };
}
