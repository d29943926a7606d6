/**
 * Scans: POST /api/records/{censusNumber}/scans (multipart, field `files`) → 202 with a job;
 * GET /api/jobs/{id} → progress and each file's outcome (docs/API.md).
 */
import { unlink } from 'node:fs/promises';
import { Router } from 'express';
import multer from 'multer';
import { BadRequestError } from '../../domain/errors.js';
import type { InputLimits } from '../../config.js';
import { shownJob } from '../../services/job-runner.js';
import type { Services } from '../../services/services.js';
import { requireActor } from '../auth.js';
import { etagOf, requiredVersion } from '../representations.js';
import { FIELD_LIMITS, receivingStorage, refuseDeclaredOversize, uploadError, type ReceivedFile } from '../upload-storage.js';

export function scanRoutes(
  services: Services, baseUrl: string, maxBytes: number, limits: Pick<InputLimits, 'maxUploadFiles' | 'maxUploadBytes'>, log: (m: string, e?: unknown) => void,
) {
  const { maxUploadFiles, maxUploadBytes } = limits;
  const upload = multer({
    storage: receivingStorage(services.receivingPath, maxBytes, maxUploadBytes),
    // busboy decodes non-ASCII file names as latin1 unless told: 金華府志.tif would arrive garbled.
    defParamCharset: 'utf8',
    limits: { files: maxUploadFiles, ...FIELD_LIMITS },
  });

  const records = Router();
  records.post('/:censusNumber/scans', async (req, res, next) => {
    const actor = requireActor(req);
    const censusNumber = String(req.params.censusNumber);
    // Refuse before reading a large body when the actor may not add scans at all.
    await services.scans.authorize(actor, censusNumber);
    refuseDeclaredOversize(req, maxUploadBytes);
    upload.array('files', maxUploadFiles)(req, res, async (error: unknown) => {
      try {
        if (error) throw uploadError(error, maxUploadFiles);
        const received = (req.files ?? []) as unknown as (Express.Multer.File & ReceivedFile)[];
        if (received.length === 0) throw new BadRequestError('no_files', 'Send one or more images in the multipart field "files".');
        const incoming = received.map((f) => ({ filename: f.originalname, path: f.path, bytes: f.size, tooLarge: f.tooLarge }));
        const { job, batch } = await services.scans.createJob(actor, censusNumber, incoming);
        res.status(202).location(`${baseUrl}/api/jobs/${job.id}`).json({ job: shownJob(job), links: { job: `${baseUrl}/api/jobs/${job.id}` } });
        // The batch runs after the answer; the job shows its progress.
        services.scans
          .run(actor, job, batch)
          .catch((e) => log(`ingest job ${job.id} stopped`, e))
          .finally(() => Promise.all(batch.map((f) => unlink(f.path).catch(() => {}))));
      } catch (e) {
        await Promise.all(received(req).map((f) => unlink(f.path).catch(() => {})));
        next(e);
      }
    });
  });

  // The order and 册/卷/leaf labels of the pages, after ingest (If-Match: the record's ETag).
  records.put('/:censusNumber/structure', async (req, res) => {
    const actor = requireActor(req);
    const censusNumber = String(req.params.censusNumber);
    const pages = await services.scans.arrange(actor, censusNumber, req.body, requiredVersion(req));
    const record = await services.records.readable(actor, censusNumber);
    res.set('ETag', etagOf(record)).json({ censusNumber, pages });
  });

  const jobs = Router();
  jobs.get('/:id', async (req, res) => {
    res.json(await services.scans.job(requireActor(req), String(req.params.id)));
  });
  return { records, jobs };
}

const received = (req: { files?: unknown }) => ((req.files ?? []) as { path: string }[]).filter((f) => f.path);
