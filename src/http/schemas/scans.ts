/** Scans, their jobs and the pages' structure (docs/API.md, Scans). */
import { z } from 'zod';
import { instant, url } from './common.js';
import { PageSchema } from './records.js';

/** `POST …/scans`: one or many images in the multipart field `files`. */
export const ScanUploadSchema = z.object({ files: z.array(z.string().meta({ format: 'binary' })) });

export const JobParams = z.object({ id: z.string() });

export const IngestJobSchema = z.object({
  id: z.string(),
  censusNumber: z.string(),
  createdBy: z.string(),
  createdAt: instant,
  updatedAt: instant,
  status: z.enum(['queued', 'running', 'interrupted', 'done', 'failed']),
  reason: z.string().nullable().optional(),
  files: z.array(z.object({
    filename: z.string(),
    outcome: z.enum(['pending', 'ingested', 'skipped', 'refused', 'failed']),
    reason: z.string().nullable(),
    imageId: z.string().nullable(),
    sequence: z.number().int().nullable(),
  }).strict()),
}).strict();

export const ScanJobAcceptedSchema = z.object({ job: IngestJobSchema, links: z.object({ job: url }).strict() }).strict();

/** A record's pages after `PUT …/structure`: as stored, with their image facts. */
export const ArrangedSchema = z.object({ censusNumber: z.string(), pages: z.array(PageSchema.omit({ sha256: true }).loose()) }).strict();
