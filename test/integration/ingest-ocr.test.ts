/**
 * npm run ingest with GUJI_OCR=1 (the default): the tool waits while the new pages are read, so
 * their OCR drafts are there when it exits; with GUJI_OCR=0 it reads none.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqlitePageTextStore } from '../../src/adapters/embedded/sqlite-page-text-store.js';
import { dataDirWithRecord, root, toolEnv } from '../support/data-dir.js';
import { bookPage } from '../support/texts.js';

const record = {
  censusNumber: '430000-0001-0000006', callNumber: '善006', titleStatement: '欽定四庫全書簡明目錄二十卷', editionStatement: '清乾隆間刻本', volumeCount: 1, holdingUnit: '0001',
};

describe('npm run ingest and OCR', function () {
  this.timeout(120_000);
  const cleanup: string[] = [];
  after(() => cleanup.forEach((d) => rmSync(d, { recursive: true, force: true })));

  for (const ocr of ['1', '0']) {
    it(`GUJI_OCR=${ocr}: ${ocr === '1' ? 'drafts the text of the pages it ingested before it exits' : 'ingests without reading'}`, async () => {
      const folder = mkdtempSync(path.join(tmpdir(), 'guji-ingest-ocr-'));
      copyFileSync(bookPage(8), path.join(folder, '1.png'));
      const dataDir = dataDirWithRecord(record);
      cleanup.push(folder, dataDir);
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'ingest/cli.ts', folder, '--record', record.censusNumber], {
        cwd: root, env: { ...toolEnv(dataDir), GUJI_OCR: ocr }, encoding: 'utf8',
      });
      expect(run.status, run.stdout + run.stderr).to.equal(0);
      const texts = new SqlitePageTextStore(path.join(dataDir, 'catalogue.sqlite'));
      try {
        const drafts = await texts.list(record.censusNumber);
        if (ocr === '1') {
          expect(drafts).to.have.length(1);
          expect(drafts[0]).to.include({ status: 'ocr', version: 1, updatedBy: 'guji (OCR)' });
          expect(drafts[0]!.page.columns.length).to.be.greaterThan(3);
          expect(run.stdout).to.include('reading the text of the new pages');
        } else {
          expect(drafts).to.deep.equal([]);
        }
      } finally {
        await texts.close();
      }
    });
  }
});
