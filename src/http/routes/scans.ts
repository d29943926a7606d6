/**
 * Scans: POST /api/records/{censusNumber}/scans (multipart, field `files`) → 202 with a job;
 * GET /api/jobs/{id} → progress and each file's outcome (docs/API.md).
 */
import { Router } from 'express';
import { BadRequestError } from '../../domain/errors.js';
import type { InputLimits } from '../../config.js';
import type { Services } from '../../services/services.js';
import { requireActor } from '../auth.js';
import { arranged, scanJobAccepted } from '../mappers.js';
import { etagOf, requiredVersion } from '../representations.js';
import { uploadReceiver } from '../upload-storage.js';

export function scanRoutes(
  services: Services, baseUrl: string, maxBytes: number, limits: Pick<InputLimits, 'maxUploadFiles' | 'maxUploadBytes'>, log: (m: string, e?: unknown) => void,
) {
  const { maxUploadFiles, maxUploadBytes } = limits;
  const receive = uploadReceiver(services.receivingPath, {
    maxFileBytes: maxBytes, maxRequestBytes: maxUploadBytes, maxFiles: maxUploadFiles,
  });

  const records = Router();
  records.post('/:censusNumber/scans', async (req, res) => {
    const actor = requireActor(req);
    const censusNumber = String(req.params.censusNumber);
    // Refuse before reading a large body when the actor may not add scans at all.
    await services.scans.authorize(actor, censusNumber);
    await receive(req, res, [{ name: 'files', maxCount: maxUploadFiles }], async ({ files, handOver }) => {
      const received = files.files ?? [];
      if (received.length === 0) throw new BadRequestError('no_files', 'Send one or more images in the multipart field "files".');
      const incoming = received.map((f) => ({ filename: f.originalname, path: f.path, bytes: f.size, tooLarge: f.tooLarge }));
      const { job, batch } = await services.scans.createJob(actor, censusNumber, incoming);
      res.status(202).location(`${baseUrl}/api/jobs/${job.id}`).json(scanJobAccepted(job, baseUrl));
      // The batch runs after the answer; the job shows its progress, and the files go when it ends.
      const remove = handOver();
      services.scans
        .run(actor, job, batch)
        .catch((e) => log(`ingest job ${job.id} stopped`, e))
        .finally(remove);
    });
  });

  // The order and 册/卷/leaf labels of the pages, after ingest (If-Match: the record's ETag).
  records.put('/:censusNumber/structure', async (req, res) => {
    const actor = requireActor(req);
    const censusNumber = String(req.params.censusNumber);
    const pages = await services.scans.arrange(actor, censusNumber, req.body, requiredVersion(req));
    const record = await services.records.readable(actor, censusNumber);
    res.set('ETag', etagOf(record)).json(arranged(censusNumber, pages));
  });

  const jobs = Router();
  jobs.get('/:id', async (req, res) => {
    res.json(await services.scans.job(requireActor(req), String(req.params.id)));
  });
  return { records, jobs };
}
