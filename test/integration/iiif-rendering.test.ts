/**
 * The manifest's `rendering` (Presentation 3.0 §3.3.1): a PDF of the book's access copies, made
 * on the first request, kept, and read back by an independent reader (Ghostscript, Debian's
 * ghostscript) page by page against the access copies decoded by sharp.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { imagePdf, jpegFrame } from '../../src/exports/pdf.js';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { demoLeaves, recordWithDemoLeaves } from '../support/scans.js';
import { publish } from '../support/texts.js';

const cn = '430000-0001-0000031';

describe('IIIF rendering: the PDF of a book', function () {
  this.timeout(60_000);
  let server: TestServer;
  let admin: string;
  let work: string;
  const pdfUrl = () => `${server.url}/iiif/${cn}/scans.pdf`;
  const kept = () => readdirSync(path.join(server.dataDir, 'renderings')).filter((n) => n.endsWith('.pdf'));

  before(async () => {
    server = await startTestServer();
    admin = await withLibrary(server);
    await recordWithDemoLeaves(server, admin, cn);
    work = mkdtempSync(path.join(tmpdir(), 'guji-pdf-'));
  });
  after(() => {
    rmSync(work, { recursive: true, force: true });
    return server.close();
  });

  it('is for staff until the book is published, and offered in the manifest', async () => {
    expect((await fetch(pdfUrl())).status).to.equal(404);
    expect((await fetch(pdfUrl(), { headers: { authorization: `Bearer ${admin}` } })).status).to.equal(200);
    await publish(server, cn, admin, admin);
    const manifest = (await (await fetch(`${server.url}/iiif/${cn}/manifest`)).json()) as any;
    expect(manifest.rendering).to.deep.equal([{
      id: `http://guji.test/iiif/${cn}/scans.pdf`, type: 'Text', format: 'application/pdf',
      label: { 'zh-Hans': ['PDF（访问用图像）'], en: ['PDF of the page images (access copies)'] },
    }]);
    // Not to anonymous clients of a draft: the withheld manifest has no rendering.
    expect((await fetch(`${server.url}/iiif/430000-0001-0000099/scans.pdf`)).status).to.equal(404);
  });

  it('holds every leaf as its access copy, in reading order, and reads back as those images', async () => {
    const res = await fetch(pdfUrl());
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('application/pdf');
    expect(res.headers.get('access-control-allow-origin')).to.equal('*');
    expect(res.headers.get('content-disposition')).to.equal(`inline; filename="${cn}.pdf"; filename*=UTF-8''${encodeURIComponent(`${cn} 欽定四庫全書簡明目錄二十卷.pdf`)}`);
    const file = path.join(work, 'book.pdf');
    const body = Buffer.from(await res.arrayBuffer());
    writeFileSync(file, body);
    // Each access copy is in the PDF byte for byte (DCTDecode: embedded, not re-encoded).
    const pages = (await server.call('GET', `/api/records/${cn}`)).body.pages.map((p: any) => p.imageId);
    expect(pages).to.have.length(demoLeaves('').length);
    const copies = pages.map((id: string) => readFileSync(path.join(server.dataDir, 'derivatives', id, 'access.jpg')));
    let from = 0;
    for (const copy of copies) {
      const at = body.indexOf(copy, from);
      expect(at, 'an access copy in reading order').to.be.above(from);
      from = at + copy.length;
    }
    // Ghostscript reads it: as many pages, each the size of its access copy, drawing its pixels.
    execFileSync('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=png16m', '-r72', `-sOutputFile=${path.join(work, 'page-%d.png')}`, file]);
    const drawn = readdirSync(work).filter((n) => n.startsWith('page-')).sort();
    expect(drawn).to.have.length(copies.length);
    for (const [i, copy] of copies.entries()) {
      const expected = await sharp(copy).raw().toBuffer({ resolveWithObject: true });
      const got = await sharp(path.join(work, `page-${i + 1}.png`)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      expect([got.info.width, got.info.height], `page ${i + 1}`).to.deep.equal([expected.info.width, expected.info.height]);
      let difference = 0;
      for (let j = 0; j < expected.data.length; j++) difference += Math.abs(expected.data[j]! - got.data[j]!);
      expect(difference / expected.data.length, `page ${i + 1}: mean difference`).to.be.below(4);
    }
    // Its title, in Chinese, in the document information.
    expect(body.includes(Buffer.from('\ufeff欽定四庫全書簡明目錄二十卷', 'utf16le').swap16().toString('hex').toUpperCase())).to.equal(true);
  });

  it('is made once and kept: the same file, revalidated by ETag, and a range of it', async () => {
    const [before] = kept();
    const first = await fetch(pdfUrl());
    const etag = first.headers.get('etag')!;
    expect(etag).to.match(/^"[0-9a-f]{32}"$/);
    expect((await fetch(pdfUrl(), { headers: { 'if-none-match': etag } })).status).to.equal(304);
    const part = await fetch(pdfUrl(), { headers: { range: 'bytes=0-7' } });
    expect(part.status).to.equal(206);
    expect(await part.text()).to.equal('%PDF-1.4');
    expect(kept()).to.deep.equal([before]);
    const mtime = statSync(path.join(server.dataDir, 'renderings', before!)).mtimeMs;
    await Promise.all([fetch(pdfUrl()), fetch(pdfUrl())]);
    expect(statSync(path.join(server.dataDir, 'renderings', before!)).mtimeMs).to.equal(mtime);
  });

  it('is made again when the leaves change order, and the old one goes', async () => {
    const current = await server.call('GET', `/api/records/${cn}`, { token: admin });
    const before = kept();
    const etag = (await fetch(pdfUrl())).headers.get('etag');
    const pages = current.body.pages.map((p: any) => ({ imageId: p.imageId, volume: p.volume, juan: p.juan, label: p.label })).reverse();
    const res = await server.call('PUT', `/api/records/${cn}/structure`, { token: admin, headers: { 'if-match': current.headers.get('etag')! }, body: { pages } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const again = await fetch(pdfUrl());
    expect(again.headers.get('etag')).not.to.equal(etag);
    const body = Buffer.from(await again.arrayBuffer());
    const firstCopy = readFileSync(path.join(server.dataDir, 'derivatives', pages[0].imageId, 'access.jpg'));
    const lastCopy = readFileSync(path.join(server.dataDir, 'derivatives', pages.at(-1).imageId, 'access.jpg'));
    expect(body.indexOf(firstCopy)).to.be.below(body.indexOf(lastCopy));
    expect(kept()).to.have.length(1);
    expect(kept()).not.to.deep.equal(before);
  });

  it('reads a JPEG\'s frame past its other segments, and refuses what is not a JPEG', async () => {
    const jpeg = await sharp({ create: { width: 7, height: 5, channels: 3, background: '#808080' } }).jpeg().withMetadata({ icc: 'srgb' }).toBuffer();
    const reader = (b: Buffer) => async (offset: number, length: number) => b.subarray(offset, offset + length);
    expect(await jpegFrame(reader(jpeg))).to.deep.equal({ width: 7, height: 5, components: 3 });
    expect(await jpegFrame(reader(Buffer.from('%PDF-1.4')))).to.equal(null);
    expect(await jpegFrame(reader(jpeg.subarray(0, 40)))).to.equal(null);
    const cmyk = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#808080' } }).toColourspace('cmyk').jpeg().toBuffer();
    const frame = (await jpegFrame(reader(cmyk)))!;
    const chunks = imagePdf('x', [{ ...frame, bytes: cmyk.length, body: async function* () { yield cmyk; } }]);
    let refused = '';
    try {
      for await (const _ of chunks) refused = 'written';
    } catch (e) {
      refused = (e as Error).message;
    }
    expect(refused).to.equal('Page 1: a JPEG of 4 components');
  });
});
