/**
 * gzip and brotli on JSON answers (src/http/compress.ts), read as raw bytes over real HTTP
 * and decoded with zlib; image bytes are never compressed.
 */
import { expect } from 'chai';
import http from 'node:http';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { demoScans, recordWithScan } from '../support/scans.js';
import { publish } from '../support/texts.js';

const CN = '430000-0001-0000001';
const IMAGE = 'b7f90b9fbd3ca8d5d5293898c3e999aa73836c3a791055231a3ebe6a7431d4dc';

function raw(url: string, encoding: string): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer; status: number }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { 'accept-encoding': encoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks), status: res.statusCode! }));
    }).on('error', reject);
  });
}

describe('compressed JSON', function () {
  this.timeout(60_000);
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
    const admin = await withLibrary(server);
    await recordWithScan(server, admin, CN, path.join(demoScans, '1.png'), '1.png');
    await publish(server, CN, admin, admin);
  });
  after(() => server.close());

  it('sends manifests, info.json and API JSON with brotli or gzip as the client accepts', async () => {
    for (const p of [`/iiif/${CN}/manifest`, `/iiif/3/${IMAGE}/info.json`, `/api/records/${CN}`]) {
      const plain = await raw(server.url + p, 'identity');
      expect(plain.headers['content-encoding'], p).to.equal(undefined);
      const br = await raw(server.url + p, 'gzip, deflate, br');
      expect(br.headers['content-encoding'], p).to.equal('br');
      expect(br.headers.vary, p).to.match(/Accept-Encoding/i);
      expect(JSON.parse(brotliDecompressSync(br.body).toString('utf8')), p).to.deep.equal(JSON.parse(plain.body.toString('utf8')));
      expect(br.body.length, p).to.be.below(plain.body.length);
      const gz = await raw(server.url + p, 'gzip');
      expect(gz.headers['content-encoding'], p).to.equal('gzip');
      expect(JSON.parse(gunzipSync(gz.body).toString('utf8')), p).to.deep.equal(JSON.parse(plain.body.toString('utf8')));
    }
  });

  it('never compresses image bytes, from a file or rendered', async () => {
    for (const p of ['full/!200,200/0/default.jpg', '0,0,512,512/512,/0/default.jpg', 'full/100,/90/default.png', 'full/100,/0/default.webp']) {
      const res = await raw(`${server.url}/iiif/3/${IMAGE}/${p}`, 'gzip, br');
      expect(res.status, p).to.equal(200);
      expect(res.headers['content-encoding'], p).to.equal(undefined);
    }
  });
});
