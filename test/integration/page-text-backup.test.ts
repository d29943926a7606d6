/**
 * Page text and exhibits go into backups with the catalogue (they live in the catalogue's SQLite
 * file) and come back with their history from a restore, as npm run backup and npm run restore do it.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CATALOGUE_FILE, createAdapters } from '../../src/adapters/create-adapters.js';
import { FileScanStore } from '../../src/adapters/embedded/scan-files.js';
import { BackupService, restoreBackup } from '../../src/services/backup-service.js';
import { createServices } from '../../src/services/services.js';
import { pageOf } from '../contract/page-text-store.contract.js';
import { ADMIN_PASSWORD, startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { vocabulary } from '../support/records.js';
import { demoScans } from '../support/scans.js';
import { registerBook, textTeam, upload } from '../support/texts.js';

const cn = '430000-0001-0000005';

describe('page text and exhibits in backups', function () {
  this.timeout(60_000);
  let source: TestServer;
  let restored: TestServer | undefined;
  const scratch = mkdtempSync(path.join(tmpdir(), 'guji-text-backup-'));

  after(async () => {
    await source?.close();
    await restored?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('restores each page\'s text and each exhibit with their history as they were at the backup', async () => {
    source = await startTestServer();
    const admin = await withLibrary(source);
    const { surveyor } = await textTeam(source, admin);
    await registerBook(source, surveyor, cn);
    await upload(source, surveyor, cn, [[path.join(demoScans, '1.png'), '1.png']]);
    await source.services.texts.saveAlignedPage(cn, 1, pageOf(), { username: 'liwen', role: 'surveyor', unit: '430000-0001' });
    const columns = pageOf('欽定四庫全書簡明目錄卷三').columns.map((c) => ({ kind: c.kind, box: c.box, text: c.text }));
    expect((await source.call('PUT', `/api/records/${cn}/pages/1/text`, { token: surveyor, body: { columns }, headers: { 'if-match': '"v1"' } })).status).to.equal(200);
    const text = (await source.call('GET', `/api/records/${cn}/pages/1/text`, { token: admin })).body;
    const history = (await source.call('GET', `/api/records/${cn}/pages/1/text/history`, { token: admin })).body;
    const exhibit = { slug: 'river-books', title: '資江古籍', licence: 'http://creativecommons.org/licenses/by/4.0/', sections: [{ title: '序', items: [] }] };
    expect((await source.call('POST', '/api/exhibits', { token: surveyor, body: exhibit })).status).to.equal(201);
    const exhibitBefore = (await source.call('GET', '/api/exhibits/river-books', { token: admin })).body;

    const backups = path.join(scratch, 'backups');
    await new BackupService(source.store, new FileScanStore(source.dataDir)).backup(backups, { withDerivatives: false, keep: 1 });
    const dataDir = path.join(scratch, 'restored');
    const config = { dataDir, mongodbUri: undefined, meiliUrl: undefined, meiliKey: undefined, pixelLimit: 200_000_000 };
    await restoreBackup(backups, {
      dataDir,
      catalogueFile: path.join(dataDir, CATALOGUE_FILE),
      open: async () => {
        const adapters = await createAdapters(config);
        const services = createServices(adapters, { sessionHours: 1, vocabulary, maxScanBytes: 2 ** 26, publicBaseUrl: 'http://guji.test', rights: 'http://creativecommons.org/publicdomain/mark/1.0/' });
        return { ...adapters, indexer: services.indexer, close: async () => void (await Promise.all([adapters.store.close(), adapters.search.close(), adapters.texts.close(), adapters.exhibits.close()])) };
      },
    });

    restored = await startTestServer({ dataDir });
    const token = await restored.login('liwen', 'river-stone-bridge-9');
    expect((await restored.call('GET', `/api/records/${cn}/pages/1/text`, { token })).body).to.deep.equal(text);
    expect((await restored.call('GET', `/api/records/${cn}/pages/1/text/history`, { token })).body).to.deep.equal(history);
    expect(history.entries.map((e: any) => e.action)).to.deep.equal(['align', 'proofread']);
    expect((await restored.call('GET', '/api/exhibits/river-books', { token: await restored.login('admin', ADMIN_PASSWORD) })).body).to.deep.equal(exhibitBefore);
  });
});
