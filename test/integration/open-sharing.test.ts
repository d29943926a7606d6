/**
 * Open sharing through real HTTP over the demo catalogue (319 records, one digitized book, loaded
 * as `npm start` loads it): the MARC 21 exports read back by an independent reader (yaz-marcdump,
 * Debian's yaz) and validated against the MARC 21 slim schema, 880 linkage checked both ways;
 * MODS valid against MODS 3.7 with CORS for published records; BagIt bags (the zip and
 * `npm run bag`) validated by a check written here (every payload file hashed again, the
 * Payload-Oxum counted again); the open-data dump and its checksums.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import yauzl from 'yauzl';
import { createApp } from '../../src/app.js';
import { ConfigError, DEFAULT_INPUT_LIMITS, loadConfig } from '../../src/config.js';
import { DIGITIZED_RECORD, loadDemoCatalogue } from '../../src/demo/demo-catalogue.js';
import { OpenDataService } from '../../src/services/open-data-service.js';
import { runTool } from '../support/data-dir.js';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/http.js';
import { fileSchemaProblems } from '../support/xml-schema.js';
import { vocabulary } from '../support/records.js';

const xsd = path.resolve(import.meta.dirname, '../fixtures/xsd');
const digitized = DIGITIZED_RECORD.censusNumber;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const xmllint = (file: string, schema: string): string => fileSchemaProblems(file, path.join(xsd, schema)) ?? '';

/** yaz-marcdump, failing on any diagnostic: it reports bad lengths, directories and XML as lines in parentheses. */
function yaz(input: 'marc' | 'marcxml', output: 'marc' | 'marcxml', file: string): string {
  const run = spawnSync('yaz-marcdump', ['-i', input, '-o', output, '-f', 'utf-8', '-t', 'utf-8', file], { encoding: output === 'marc' ? 'latin1' : 'utf8', maxBuffer: 1 << 28 });
  expect(run.status, run.stderr).to.equal(0);
  expect(run.stderr).to.equal('');
  if (output === 'marcxml') expect(run.stdout).not.to.match(/^\(/m);
  return run.stdout;
}

interface Field { tag: string; ind: string; subfields: [string, string][] }
/** Records of a MARCXML document as [leader, fields] — read with regular expressions, not our code. */
function parseMarcXml(xml: string): { leader: string; fields: Field[] }[] {
  const unescapeXml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  return [...xml.matchAll(/<record[^>]*>([\s\S]*?)<\/record>/g)].map(([, body]) => ({
    leader: /<leader>([^<]*)<\/leader>/.exec(body!)![1]!,
    fields: [
      ...[...body!.matchAll(/<controlfield tag="(\d{3})">([^<]*)<\/controlfield>/g)].map(([, tag, v]) => ({ tag: tag!, ind: '', subfields: [['', unescapeXml(v!)]] as [string, string][] })),
      ...[...body!.matchAll(/<datafield tag="(\d{3})" ind1="(.)" ind2="(.)">([\s\S]*?)<\/datafield>/g)].map(([, tag, i1, i2, subs]) => ({
        tag: tag!, ind: i1! + i2!, subfields: [...subs!.matchAll(/<subfield code="(.)">([^<]*)<\/subfield>/g)].map(([, c, v]) => [c!, unescapeXml(v!)] as [string, string]),
      })),
    ],
  }));
}

/** Every $6 of a record links a field and its 880 both ways, with the same indicators (MARC 21 Appendix A). */
function checkLinkage(fields: Field[]): number {
  const link = (f: Field) => f.subfields.find(([c]) => c === '6')?.[1];
  const alternates = fields.filter((f) => f.tag === '880');
  const regular = fields.filter((f) => f.tag !== '880' && link(f));
  for (const f of regular) {
    const occurrence = /^880-(\d{2})$/.exec(link(f)!)![1];
    const partners = alternates.filter((a) => link(a)!.startsWith(`${f.tag}-${occurrence}`));
    expect(partners, `${f.tag} $6 ${link(f)}`).to.have.length(1);
    expect(partners[0]!.ind).to.equal(f.ind);
  }
  for (const a of alternates) {
    const [, tag, occurrence] = /^(\d{3})-(\d{2})\/\$1$/.exec(link(a)!)!;
    expect(regular.filter((f) => f.tag === tag && link(f) === `880-${occurrence}`), `880 $6 ${link(a)}`).to.have.length(1);
  }
  return alternates.length;
}

/** Unzips with yauzl (not the library that wrote the zip). */
async function unzip(zip: Buffer, into: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, archive) => {
      if (error || !archive) return reject(error);
      archive.on('error', reject);
      archive.on('end', resolve);
      archive.on('entry', (entry: yauzl.Entry) => {
        archive.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            const target = path.join(into, entry.fileName);
            if (!target.startsWith(into)) return reject(new Error(`zip entry outside: ${entry.fileName}`));
            mkdirSync(path.dirname(target), { recursive: true });
            writeFileSync(target, Buffer.concat(chunks));
            archive.readEntry();
          });
        });
      });
      archive.readEntry();
    });
  });
}

const walk = (dir: string, base = dir): string[] => readdirSync(dir, { withFileTypes: true })
  .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name)).split(path.sep).join('/')]));

/** RFC 8493 validation written here: bagit.txt, every payload file in the manifest and hashed again, the Oxum, the tag manifest. */
function validateBag(bag: string): { payload: Map<string, string>; info: Record<string, string> } {
  expect(readFileSync(path.join(bag, 'bagit.txt'), 'utf8')).to.equal('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
  const manifest = (name: string) => new Map(readFileSync(path.join(bag, name), 'utf8').trimEnd().split('\n').map((line) => {
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line)!;
    return [decodeURIComponent(m[2]!), m[1]!] as [string, string];
  }));
  const payload = manifest('manifest-sha256.txt');
  const files = walk(bag).filter((f) => f.startsWith('data/')).sort();
  expect([...payload.keys()].sort()).to.deep.equal(files);
  let octets = 0;
  for (const f of files) {
    const data = readFileSync(path.join(bag, f));
    octets += data.length;
    expect(sha256(data), f).to.equal(payload.get(f));
  }
  const info = Object.fromEntries(readFileSync(path.join(bag, 'bag-info.txt'), 'utf8').trimEnd().split('\n').map((l) => {
    const at = l.indexOf(': ');
    return [l.slice(0, at), l.slice(at + 2)];
  }));
  expect(info['Payload-Oxum']).to.equal(`${octets}.${files.length}`);
  const tags = manifest('tagmanifest-sha256.txt');
  expect([...tags.keys()].sort()).to.deep.equal(['bag-info.txt', 'bagit.txt', 'manifest-sha256.txt']);
  for (const [f, sum] of tags) expect(sha256(readFileSync(path.join(bag, f))), f).to.equal(sum);
  return { payload, info };
}

describe('Open sharing: MARC, MODS, BagIt and open data', function () {
  this.timeout(300_000);
  let server: TestServer;
  let admin: string;
  let work: string;
  let publishedTotal: number;

  before(async () => {
    server = await startTestServer();
    admin = await server.login('admin', ADMIN_PASSWORD);
    await loadDemoCatalogue(server.services, { username: 'admin', role: 'admin', unit: null });
    await server.services.indexer.catchUp();
    publishedTotal = (await server.call('GET', '/api/records?pageSize=1')).body.total;
    work = mkdtempSync(path.join(tmpdir(), 'guji-sharing-'));
  });
  after(async () => {
    rmSync(work, { recursive: true, force: true });
    await server.close();
  });

  const download = async (pathname: string, token?: string) => {
    const res = await fetch(server.url + pathname, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { res, data: Buffer.from(await res.arrayBuffer()) };
  };

  it('exports the published catalogue as ISO 2709 that yaz-marcdump reads, equal to the MARCXML export', async () => {
    expect(publishedTotal).to.be.above(100);
    const mrc = await download('/api/exports/records.mrc');
    expect(mrc.res.status).to.equal(200);
    expect(mrc.res.headers.get('content-type')).to.match(/^application\/marc/);
    writeFileSync(path.join(work, 'records.mrc'), mrc.data);
    const fromIso = yaz('marc', 'marcxml', path.join(work, 'records.mrc'));
    writeFileSync(path.join(work, 'from-iso.xml'), fromIso);
    expect(xmllint(path.join(work, 'from-iso.xml'), 'loc-MARC21slim.xsd')).to.equal('');
    const isoRecords = parseMarcXml(fromIso);
    expect(isoRecords).to.have.length(publishedTotal);

    const xml = await download('/api/exports/records.marcxml');
    expect(xml.res.headers.get('content-type')).to.match(/^application\/marcxml\+xml/);
    writeFileSync(path.join(work, 'records.marcxml'), xml.data);
    expect(xmllint(path.join(work, 'records.marcxml'), 'loc-MARC21slim.xsd')).to.equal('');
    yaz('marcxml', 'marc', path.join(work, 'records.marcxml'));
    const xmlRecords = parseMarcXml(xml.data.toString('utf8'));
    expect(xmlRecords).to.have.length(publishedTotal);

    let pairs = 0;
    isoRecords.forEach((r, i) => {
      // Leader 09 `a`: UCS/Unicode; the ISO 2709 lengths are the writer's, the rest the same.
      expect(r.leader[9]).to.equal('a');
      expect(Number(r.leader.slice(0, 5))).to.be.above(24);
      expect(r.leader.slice(5, 12) + r.leader.slice(17)).to.equal(xmlRecords[i]!.leader.slice(5, 12) + xmlRecords[i]!.leader.slice(17));
      expect(r.fields).to.deep.equal(xmlRecords[i]!.fields);
      pairs += checkLinkage(r.fields);
    });
    expect(pairs).to.be.at.least(publishedTotal * 5);
    // Each record's lengths are bytes: the ISO file is their sum.
    expect(isoRecords.reduce((n, r) => n + Number(r.leader.slice(0, 5)), 0)).to.equal(mrc.data.length);
  });

  it('exports the published catalogue as UNIMARC: ISO 2709 and MarcXchange that yaz-marcdump reads as the same records', async () => {
    const iso = await download('/api/exports/records.unimarc');
    expect(iso.res.status).to.equal(200);
    expect(iso.res.headers.get('content-type')).to.match(/^application\/marc/);
    expect(iso.res.headers.get('content-disposition')).to.include('records.unimarc');
    const xml = await download('/api/exports/records.unimarc.xml');
    expect(xml.res.status).to.equal(200);
    expect(xml.res.headers.get('content-type')).to.match(/^application\/xml/);
    writeFileSync(path.join(work, 'records.unimarc'), iso.data);
    writeFileSync(path.join(work, 'records.unimarc.xml'), xml.data);
    const line = (input: string, file: string) => {
      const run = spawnSync('yaz-marcdump', ['-i', input, '-o', 'line', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
      expect(run.status, run.stderr).to.equal(0);
      expect(run.stderr).to.equal('');
      expect(run.stdout).not.to.match(/^\(/m);
      return run.stdout.split('\n');
    };
    const fromIso = line('marc', path.join(work, 'records.unimarc'));
    const fromXml = line('marcxchange', path.join(work, 'records.unimarc.xml'));
    const labels = fromIso.filter((l) => /^\d{5}n[ab]m/.test(l));
    expect(labels).to.have.length(publishedTotal);
    expect(labels.reduce((n, l) => n + Number(l.slice(0, 5)), 0)).to.equal(iso.data.length);
    const body = (lines: string[]) => lines.filter((l) => !/^\d{5}n[ab]m/.test(l));
    expect(body(fromIso)).to.deep.equal(body(fromXml));
    // Every record has its census number, its 100 at 36 positions and its title; the digitized one its manifest.
    expect(fromIso.filter((l) => l.startsWith('001 '))).to.have.length(publishedTotal);
    expect(fromIso.filter((l) => /^100 {4}\$a .{36}$/.test(l))).to.have.length(publishedTotal);
    expect(fromIso.filter((l) => l.startsWith('200 1  $a '))).to.have.length(publishedTotal);
    expect(fromIso).to.include(`856 4  $u http://guji.test/iiif/${digitized}/manifest $q application/ld+json $2 IIIF Presentation 3.0 manifest`);
  });

  it('gives staff every record they may read, as the spreadsheet exports do', async () => {
    const staff = await download('/api/exports/records.marcxml', admin);
    const all = parseMarcXml(staff.data.toString('utf8'));
    expect(all.length).to.equal(await server.store.records.count());
    expect(all.length).to.be.above(publishedTotal);
    const filtered = parseMarcXml((await download(`/api/exports/records.marcxml?q=${encodeURIComponent('簡明目錄')}`)).data.toString('utf8'));
    expect(filtered.map((r) => r.fields.find((f) => f.tag === '001')!.subfields[0]![1])).to.include(digitized);
  });

  it('serves MODS of a published record to everyone, with CORS; not of a draft', async () => {
    const res = await fetch(`${server.url}/api/records/${digitized}.mods.xml`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^application\/mods\+xml/);
    expect(res.headers.get('access-control-allow-origin')).to.equal('*');
    const xml = await res.text();
    writeFileSync(path.join(work, 'record.mods.xml'), xml);
    expect(xmllint(path.join(work, 'record.mods.xml'), 'loc-mods-3-7.xsd')).to.equal('');
    expect(xml).to.include('<title>欽定四庫全書簡明目錄二十卷</title>').and.include(`/iiif/${digitized}/manifest</url>`);
    const json = await fetch(`${server.url}/api/records/${digitized}`);
    expect(json.headers.get('access-control-allow-origin')).to.equal('*');

    const staffOnly = parseMarcXml((await download('/api/exports/records.marcxml', admin)).data.toString('utf8'))
      .map((r) => r.fields.find((f) => f.tag === '001')!.subfields[0]![1])
      .find((cn) => !parseMarcXml(readFileSync(path.join(work, 'from-iso.xml'), 'utf8')).some((r) => r.fields[0]!.subfields[0]![1] === cn))!;
    expect((await fetch(`${server.url}/api/records/${staffOnly}.mods.xml`)).status).to.equal(404);
    const draft = await download(`/api/records/${staffOnly}.mods.xml`, admin);
    expect(draft.res.status).to.equal(200);
    expect(draft.res.headers.get('access-control-allow-origin')).to.equal(null);
    expect((await download(`/api/records/${staffOnly}`, admin)).res.headers.get('access-control-allow-origin')).to.equal(null);
    expect((await server.call('GET', '/api/records/not-a-number.mods.xml')).status).to.equal(400);

    const collection = await download('/api/exports/records.mods.xml');
    writeFileSync(path.join(work, 'records.mods.xml'), collection.data);
    expect(xmllint(path.join(work, 'records.mods.xml'), 'loc-mods-3-7.xsd')).to.equal('');
    expect(collection.data.toString('utf8').match(/<mods /g)).to.have.length(publishedTotal);
  });

  it('links the MODS from the manifest with format and profile, and profiles the JSON', async () => {
    const manifest = (await server.call('GET', `/iiif/${digitized}/manifest`)).body;
    expect(manifest.seeAlso).to.deep.include.members([
      { id: `http://guji.test/api/records/${digitized}`, type: 'Dataset', format: 'application/json', profile: 'http://guji.test/api/openapi.json', label: { 'zh-Hans': ['普查登记'], en: ['Census record'] } },
      { id: `http://guji.test/api/records/${digitized}.mods.xml`, type: 'Dataset', format: 'application/mods+xml', profile: 'http://www.loc.gov/mods/v3', label: { 'zh-Hans': ['普查登记（MODS）'], en: ['Census record (MODS)'] } },
    ]);
  });

  it('zips a valid bag of a digitized book for staff, with the masters under their stored checksums', async () => {
    expect((await download(`/api/records/${digitized}/bag.zip`)).res.status).to.equal(401);
    const zip = await download(`/api/records/${digitized}/bag.zip`, admin);
    expect(zip.res.status).to.equal(200);
    expect(zip.res.headers.get('content-type')).to.equal('application/zip');
    const into = path.join(work, 'unzipped');
    await unzip(zip.data, into);
    const { payload, info } = validateBag(path.join(into, `${digitized}-bag`));
    const pages = await server.store.pages.list(digitized);
    const masters = [...payload].filter(([f]) => f.startsWith('data/masters/'));
    expect(masters.map(([, sum]) => sum)).to.deep.equal(pages.map((p) => p.imageId));
    expect([...payload.keys()]).to.include.members(['data/record.json', 'data/record.mods.xml', 'data/record.marcxml', 'data/manifest.json']);
    expect(info).to.include({ 'External-Identifier': digitized, 'Source-Organization': '益阳市资阳区图书馆（示例）' });
    expect(info['Bagging-Date']).to.match(/^\d{4}-\d{2}-\d{2}$/);
    expect(xmllint(path.join(into, `${digitized}-bag`, 'data/record.mods.xml'), 'loc-mods-3-7.xsd')).to.equal('');
    expect(xmllint(path.join(into, `${digitized}-bag`, 'data/record.marcxml'), 'loc-MARC21slim.xsd')).to.equal('');
    expect((await download('/api/records/110000-0101-0010283/bag.zip', admin)).res.status).to.equal(404);
  });

  it('writes the same bag with npm run bag, refusing a folder that is not empty', () => {
    const folder = path.join(work, 'cli-bag');
    const made = runTool(server.dataDir, 'scripts/bag.ts', digitized, folder);
    expect(made.status, made.stderr).to.equal(0);
    expect(made.stdout).to.include(`bag of ${digitized} written`);
    const { payload } = validateBag(folder);
    expect(payload.size).to.equal(8);
    const again = runTool(server.dataDir, 'scripts/bag.ts', digitized, folder);
    expect(again.status).to.equal(1);
    expect(again.stderr).to.include('A non-empty folder');
    expect(statSync(path.join(folder, 'bagit.txt')).isFile()).to.equal(true);
    const none = runTool(server.dataDir, 'scripts/bag.ts', '430000-0001-7777777', path.join(work, 'none'));
    expect(none.status).to.equal(1);
    expect(readdirSync(work)).not.to.include('none');
  });

  describe('the open-data dump', () => {
    let app: Server;
    let url: string;
    before(async () => {
      const openData = new OpenDataService(server.services.sheets, path.join(work, 'open-data'), { baseUrl: 'http://guji.test', license: 'https://creativecommons.org/publicdomain/zero/1.0/' });
      app = createServer(createApp({ ...server.services, openData }, {
        publicBaseUrl: 'http://guji.test', vocabulary, maxScanBytes: 2 ** 20, maxSheetBytes: 2 ** 20, inputLimits: DEFAULT_INPUT_LIMITS,
      }, () => {}));
      await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    });
    after(() => new Promise((resolve) => app.close(resolve)));

    it('is made at start when there is none, then every GUJI_DUMP_HOURS (at most 576: Node timers)', async () => {
      const dir = path.join(work, 'scheduled');
      const scheduled = new OpenDataService(server.services.sheets, dir, { baseUrl: 'http://guji.test', license: 'https://example.org/licence' });
      scheduled.schedule(24);
      while (!(await scheduled.summary())) await new Promise((resolve) => setTimeout(resolve, 100));
      await scheduled.stop();
      expect(readFileSync(path.join(dir, 'LICENSE.txt'), 'utf8')).to.include('https://example.org/licence');
      expect(readdirSync(dir).filter((f) => f.includes('.part-'))).to.deep.equal([]);
      expect(() => loadConfig({ GUJI_DUMP_HOURS: '1000', GUJI_DATA_LICENSE: 'not a url' })).to.throw(ConfigError, /GUJI_DUMP_HOURS[\s\S]*GUJI_DATA_LICENSE/);
      expect(loadConfig({ DATA_DIR: work }).openDataDir).to.equal(path.join(work, 'open-data'));
    });

    it('is made again by an admin, and downloads with checksums that match', async () => {
      expect((await fetch(`${url}/open-data/SHA256SUMS`)).status).to.equal(404);
      expect((await fetch(`${url}/api/open-data`, { method: 'POST' })).status).to.equal(401);
      const made = await fetch(`${url}/api/open-data`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
      expect(made.status).to.equal(200);
      expect(((await made.json()) as any).summary.records).to.equal(publishedTotal);

      const sums = await fetch(`${url}/open-data/SHA256SUMS`);
      expect(sums.headers.get('access-control-allow-origin')).to.equal('*');
      const listed = (await sums.text()).trimEnd().split('\n').map((l) => l.split('  ') as [string, string]);
      expect(listed.map(([, name]) => name)).to.deep.equal(['catalogue.jsonl.gz', 'catalogue.csv.gz', 'README.txt', 'LICENSE.txt']);
      const files: Record<string, Buffer> = {};
      for (const [sum, name] of listed) {
        const res = await fetch(`${url}/open-data/${name}`);
        expect(res.status).to.equal(200);
        files[name] = Buffer.from(await res.arrayBuffer());
        expect(sha256(files[name]!), name).to.equal(sum);
      }
      const lines = gunzipSync(files['catalogue.jsonl.gz']!).toString('utf8').trimEnd().split('\n');
      expect(lines).to.have.length(publishedTotal);
      expect(lines.map((l) => JSON.parse(l).censusNumber)).to.include(digitized);
      const csv = gunzipSync(files['catalogue.csv.gz']!).toString('utf8');
      expect(csv.split('\n')[0]).to.include('普查编号').and.include('题名卷数');
      expect(files['LICENSE.txt']!.toString()).to.include('CC0 1.0');
      expect(files['README.txt']!.toString()).to.include(`${publishedTotal} published records`);
      for (const bad of ['summary.json', '..%2Fcatalogue.sqlite', '.catalogue.csv.gz.part-1']) expect((await fetch(`${url}/open-data/${bad}`)).status, bad).to.equal(404);
    });
  });
});
