/** Census sheets in and out, and the NLC template's structure sheets (docs/API.md, Spreadsheets). */
import { z } from 'zod';
import { SearchParamsSchema } from '../../services/search-service.js';
import { ErrorSchema, censusNumber, instant } from './common.js';

const binary = z.string().meta({ format: 'binary' });

/**
 * `?dryRun=true` (or 1) only checks; any other value, or none, writes. Lenient as it always was:
 * a repeated or unknown value is not refused.
 */
export const DryRunQuery = z.object({
  dryRun: z.union([z.string(), z.array(z.string())]).optional().transform((v) => v === 'true' || v === '1')
    .meta({ description: 'true or 1: check only, write nothing' }),
});

export const ImportUploadSchema = z.object({ file: binary.meta({ description: 'A .csv or .xlsx census sheet' }) });
export const StructureUploadSchema = z.object({
  volumes: binary.optional().meta({ description: '分册表: 册次, 册名, 文件' }),
  contents: binary.optional().meta({ description: '目次表: 层级, 题名, 著者, 册次, 起始叶' }),
});

export const ImportReportSchema = z.object({
  dryRun: z.boolean(),
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  problems: z.array(z.object({ row: z.number().int(), column: z.string().nullable(), problem: z.string(), value: z.string().nullable(), code: z.string().optional() }).strict()),
  ignoredColumns: z.array(z.string()),
  derivedColumns: z.array(z.string())
    .meta({ description: 'Export-only columns such as 版本年代（公元）: recognised and not read' }),
}).strict();

export const ImportJobSchema = z.object({
  id: z.string(),
  createdBy: z.string(),
  createdAt: instant,
  updatedAt: instant,
  filename: z.string(),
  dryRun: z.boolean(),
  status: z.enum(['running', 'interrupted', 'done', 'failed']),
  rows: z.number().int(),
  read: z.number(),
  report: ImportReportSchema.nullable(),
  error: ErrorSchema.shape.error.nullable(),
}).strict();

export const ImportJobParams = z.object({ id: z.string() });

/** The filters of an export: those of search, without its paging (facets14's search schema). */
export const ExportQuery = SearchParamsSchema.omit({ page: true, pageSize: true });
export const ExportParams = z.object({ format: z.enum(['csv', 'xlsx', 'jsonl']) });

export const StructureSheetParams = z.object({ censusNumber, sheet: z.enum(['volumes', 'contents']), format: z.enum(['csv', 'xlsx']) });

export const StructureSheetsResultSchema = z.object({
  censusNumber: z.string(),
  dryRun: z.boolean(),
  pages: z.array(z.looseObject({ imageId: z.string() })),
}).strict();
