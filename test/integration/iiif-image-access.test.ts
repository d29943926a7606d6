/**
 * Who may see an image, over real HTTP, while the image service remembers who holds each image
 * (src/services/image-service.ts): the record's publication and withdrawal take effect on the
 * next request — whether made through the API or by another process writing the same SQLite
 * file (npm run import, ingest) — for tiles answered from files and regions rendered alike.
 */
import { expect } from 'chai';
import path from 'node:path';
import { CATALOGUE_FILE } from '../../src/adapters/create-adapters.js';
import { SqliteCatalogueStore } from '../../src/adapters/embedded/sqlite-store.js';
import { RecordService } from '../../src/services/record-service.js';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { vocabulary } from '../support/records.js';
import { demoScans, recordWithScan } from '../support/scans.js';
import { publish } from '../support/texts.js';

const IMAGE = 'b7f90b9fbd3ca8d5d5293898c3e999aa73836c3a791055231a3ebe6a7431d4dc';
const CN = '430000-0001-0000001';
/** A tile the ingest made a file for, and a region only a render answers. */
const TILE = '0,0,512,512/512,/0/default.jpg';
const RENDERED = '10,20,300,200/150,/0/default.png';

describe('IIIF image access follows publication at once', function () {
  this.timeout(60_000);
  let server: TestServer;
  let admin: string;
  const image = (p: string, token?: string) => fetch(`${server.url}/iiif/3/${IMAGE}/${p}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  /** The statuses anonymous clients get for the tile, the render and info.json. */
  const anonymous = async () => Promise.all([TILE, RENDERED, 'info.json'].map(async (p) => (await image(p)).status));

  before(async () => {
    server = await startTestServer();
    admin = await withLibrary(server);
    await recordWithScan(server, admin, CN, path.join(demoScans, '1.png'), '1.png');
  });
  after(() => server.close());

  it('shows a published record\'s images to anyone, and withholds them from the request after its withdrawal', async () => {
    // Asked (and remembered) while the record is a draft: 401, as for any unpublished image.
    expect(await anonymous()).to.deep.equal([401, 401, 401]);
    expect((await image(TILE, admin)).status).to.equal(200);
    await publish(server, CN, admin, admin);
    expect(await anonymous()).to.deep.equal([200, 200, 200]);
    const tile = await image(TILE);
    expect(tile.headers.get('cache-control')).to.contain('public');
    expect(tile.headers.get('content-type')).to.equal('image/jpeg');

    const withdrawn = await server.call('POST', `/api/records/${CN}/transitions`, { token: admin, body: { action: 'withdraw', comment: '影像次序有誤' } });
    expect(withdrawn.status).to.equal(200);
    expect(await anonymous()).to.deep.equal([401, 401, 401]);
    const staff = await image(RENDERED, admin);
    expect(staff.status).to.equal(200);
    expect(staff.headers.get('cache-control')).to.equal('private, no-cache');

    // A withdrawn record goes back to approved, and is published again from there.
    expect((await server.call('POST', `/api/records/${CN}/transitions`, { token: admin, body: { action: 'publish' } })).status).to.equal(200);
    expect(await anonymous()).to.deep.equal([200, 200, 200]);
  });

  it('withholds them after a withdrawal another process writes to the same catalogue file', async () => {
    expect(await anonymous()).to.deep.equal([200, 200, 200]);
    // Another connection to the file, as a command-line tool running beside the service has.
    const other = new SqliteCatalogueStore(path.join(server.dataDir, CATALOGUE_FILE));
    try {
      await new RecordService(other, vocabulary).transition({ username: 'admin', role: 'admin', unit: null }, CN, { action: 'withdraw', comment: '題名有誤' });
    } finally {
      await other.close();
    }
    expect(await anonymous()).to.deep.equal([401, 401, 401]);
  });
});
