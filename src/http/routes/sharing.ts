/**
 * Open sharing (docs/API.md, issue 17): MODS of a record, MARC 21 and UNIMARC exports, BagIt bags of a
 * digitized book, and the open-data dump at stable URLs. Thin: parse, call the service, stream.
 */
import { Router } from 'express';
import { censusNumberProblem } from '../../domain/census-number.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import type { OpenDataService } from '../../services/open-data-service.js';
import type { ExportFormat, SharingService } from '../../services/sharing-service.js';
import { requireActor } from '../auth.js';
import { attachment } from '../content-disposition.js';

const MEDIA: Record<ExportFormat, string> = {
  mrc: 'application/marc', marcxml: 'application/marcxml+xml; charset=utf-8', mods: 'application/mods+xml; charset=utf-8',
  // RFC 2220's type is for ISO 2709 MARC records of any format; MarcXchange has none of its own.
  unimarc: 'application/marc', unimarcxml: 'application/xml; charset=utf-8',
};

function censusNumberParam(value: unknown): string {
  const cn = String(value);
  const problem = censusNumberProblem(cn);
  if (problem) throw new ValidationError([{ field: 'censusNumber', problem }]);
  return cn;
}

export function sharingRoutes(sharing: SharingService, openData: OpenDataService | undefined) {
  // Mounted at /api/records before the records routes, whose /:censusNumber would take these paths.
  const records = Router();
  records.get('/:censusNumber.mods.xml', async (req, res) => {
    const { xml, record } = await sharing.mods(req.actor ?? null, censusNumberParam(req.params.censusNumber));
    const etag = `"v${record.version}-mods"`;
    const published = record.status === 'published';
    // Published records are for everyone: other sites' scripts may read their MODS.
    if (published) res.set('Access-Control-Allow-Origin', '*');
    res.set({ ETag: etag, 'Cache-Control': published && !req.actor ? 'public, no-cache' : 'private, no-cache', Vary: 'Authorization' });
    if (req.get('if-none-match') === etag) {
      res.status(304).end();
      return;
    }
    res.type('application/mods+xml; charset=utf-8').send(xml);
  });
  records.get('/:censusNumber/bag.zip', async (req, res) => {
    const cn = censusNumberParam(req.params.censusNumber);
    const files = await sharing.bag(requireActor(req), cn);
    res.type('application/zip').set({ 'Content-Disposition': attachment(`${cn}-bag.zip`), 'Cache-Control': 'private, no-store' });
    await sharing.writeBagZip(files, `${cn}-bag`, res);
  });

  // Mounted at /api/exports before the spreadsheet exports.
  const exports = Router();
  const exported = [['mrc', 'records.mrc'], ['marcxml', 'records.marcxml'], ['mods', 'records.mods.xml'], ['unimarc', 'records.unimarc'], ['unimarcxml', 'records.unimarc.xml']] as const;
  for (const [format, name] of exported) {
    exports.get(`/${name}`, async (req, res) => {
      res.type(MEDIA[format]).set('Content-Disposition', attachment(name));
      await sharing.exportRecords(req.actor ?? null, req.query as Record<string, unknown>, format, res);
    });
  }

  // /api/open-data: what the dump holds; POST makes it again (admins).
  const dumpApi = Router();
  const dump = () => {
    if (!openData) throw new NotFoundError('The open-data dump (not configured)');
    return openData;
  };
  dumpApi.get('/', async (_req, res) => {
    res.set('Cache-Control', 'no-cache').json({ summary: await dump().summary() });
  });
  dumpApi.post('/', async (req, res) => {
    const summary = await dump().regenerate(requireActor(req));
    res.json({ summary });
  });

  // /open-data/{file}: the stable download URLs, open to every site.
  const files = Router();
  files.get('/:file', async (req, res) => {
    const file = await dump().file(String(req.params.file));
    res.set({ 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, max-age=3600' });
    const type = file.endsWith('.gz') ? 'application/gzip' : 'text/plain; charset=utf-8';
    res.type(type).sendFile(file, { dotfiles: 'deny', headers: { 'Content-Type': type } });
  });
  return { records, exports, dumpApi, files };
}
