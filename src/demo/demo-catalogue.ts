/**
 * The demo catalogue loaded into an empty data directory (GUJI_DEMO=1, the default): the
 * collecting units of a 资阳区 census, the three real records of docs/DOMAIN.md, and the
 * kanripo works of 經部易類 and 史部地理類 registered as holdings of the district's units.
 * Titles, 卷, 冊 and persons are kanripo's; editions, call numbers, grades and damage are
 * invented, deterministically, so that every start builds the same catalogue. One book is
 * digitized: four half-leaves of 欽定四庫全書簡明目錄 (./scans, NOTICE.md there), ingested as an
 * upload is, so that the viewer, the IIIF images and the manifest can be tried at once; its
 * text (./scans/text) is laid on the pages once OCR has read them (./demo-text.ts).
 */
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatNumeral } from '../domain/numerals.js';
import type { RecordInput } from '../domain/census-record.js';
import type { TransitionAction, Actor } from '../domain/workflow.js';
import type { Services } from '../services/services.js';
import { random } from './random.js';
import { readKanripoCatalog, type KanripoPerson, type KanripoWork } from './kanripo.js';

export const DEMO_UNITS = [
  { province: '110000', code: '0101', name: '國家圖書館', kind: '图书馆' },
  { province: '430000', code: '0001', name: '益阳市资阳区图书馆（示例）', kind: '图书馆' },
  { province: '430000', code: '0002', name: '益阳市资阳区档案馆（示例）', kind: '档案馆' },
  { province: '430000', code: '0003', name: '资阳区文物管理所（示例）', kind: '博物馆' },
  { province: '430000', code: '0004', name: '资阳区私人藏书（示例）', kind: '私人' },
];

/** The real records of docs/DOMAIN.md, as the national ledger prints them. */
export const REAL_RECORDS: RecordInput[] = [
  {
    censusNumber: '110000-0101-0010283', callNumber: '10634', titleStatement: '［萬曆］金華府志三十卷',
    creatorStatement: '（明）王懋德（明）陸鳳儀纂修', editionStatement: '明萬曆刻本', volumeCount: 18, holdingUnit: '0101',
    classification: '史部 地理類 方志之屬', grade: '二级乙等', damage: { grade: '轻度', types: ['虫蛀'] }, binding: '線裝',
  },
  {
    censusNumber: '110000-0101-0013797', callNumber: '14202', titleStatement: '通書類聚尅擇大全□□卷',
    editionStatement: '明嘉靖三十年（1551）芝城銅活字印本', volumeCount: 1, extant: '存四卷（十六至十九）', holdingUnit: '0101',
    classification: '子部 術數類', grade: '一级乙等', damage: { grade: '中度', types: ['虫蛀', '老化'] }, binding: '線裝',
  },
  {
    censusNumber: '110000-0101-0004638', callNumber: '善00482', titleStatement: '墨子十五卷',
    editionStatement: '1552芝城銅活字藍印本', volumeCount: 6, holdingUnit: '0101',
    classification: '子部 墨家類', grade: '一级甲等', damage: { grade: '轻度', types: [] }, binding: '線裝',
  },
];

/** The half-leaves of the digitized demo book, in page order: ./scans/{leaf}.png, their text ./scans/text/{leaf}.txt. */
export const DEMO_LEAVES = ['1', '2', '3', '10'] as const;

/** The digitized demo book; its edition and holding are the demo's, like the kanripo holdings'. */
export const DIGITIZED_RECORD: RecordInput = {
  censusNumber: '430000-0001-0009001', callNumber: '資01-9001', titleStatement: '欽定四庫全書簡明目錄二十卷',
  creatorStatement: '（清）永瑢等撰', editionStatement: '清寫本', volumeCount: 1, extant: '存四半葉', holdingUnit: '0001',
  classification: '史部 目錄類', grade: '普通古籍', gradeStandard: 'GB/T 31076.1-2014', damage: { grade: '轻度', types: ['老化'] },
  binding: '线装', notes: '示例。影像取自 open-guji-cv（Apache-2.0），全文取自 luatex-cn 之錄文（LPPL 1.3），內容屬公有領域。',
};

/**
 * Writes persons the census way: `（明）王懋德（明）陸鳳儀纂修` — a role shared within one dynasty
 * once, after the last; across dynasties each writes its own, since the parser never passes a
 * role back across a different dynasty (src/domain/creator-statement.ts).
 */
export function composeCreatorStatement(persons: readonly KanripoPerson[]): string {
  return persons
    .map((p, i) => {
      const next = persons[i + 1];
      const role = p.role && next?.role === p.role && next.dynasty === p.dynasty ? '' : (p.role ?? '');
      return `${p.dynasty ? `（${p.dynasty}）` : ''}${p.name}${role}`;
    })
    .join('');
}

export const composeTitleStatement = (work: Pick<KanripoWork, 'title' | 'juan'>): string =>
  work.juan ? `${work.title}${formatNumeral(work.juan)}卷` : work.title;

const QING_ERAS: [string, number, number][] = [
  ['康熙', 1662, 61], ['雍正', 1723, 13], ['乾隆', 1736, 60], ['嘉慶', 1796, 25], ['道光', 1821, 30],
  ['咸豐', 1851, 11], ['同治', 1862, 13], ['光緒', 1875, 34], ['宣統', 1909, 3],
];
const PUBLISHERS = ['', '', '益陽', '長沙', '湖南書局', '思賢講舍', '傳忠書局', '揚州詩局', '金陵書局', '掃葉山房', '武英殿', '崇文書局'];

function demoEdition(next: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const kind = next();
  if (kind < 0.08) return pick(['清抄本', '清鈔本', '民國抄本', '清稿本']);
  if (kind < 0.16) return pick(['民國石印本', '清光緒間石印本', '民國十八年（1929）上海掃葉山房石印本']);
  if (kind < 0.2) return pick(['明萬曆刻本', '明崇禎刻本', '明刻本', '清初刻本']);
  if (kind < 0.24) return pick(['清武英殿聚珍版印本', '清木活字印本']);
  const [era, first, length] = pick(QING_ERAS);
  if (kind < 0.4) return `清${era}間${pick(['刻本', '刊本'])}`;
  const year = 1 + Math.floor(next() * length);
  return `清${era}${year === 1 ? '元' : formatNumeral(year)}年（${first + year - 1}）${pick(PUBLISHERS)}${pick(['刻本', '刻本', '刊本', '重刻本'])}`;
}

export interface DemoRecord {
  input: RecordInput;
  /** The workflow steps that bring it to its demo status. */
  steps: TransitionAction[];
}

export function buildDemoRecords(kanripoDir: URL): DemoRecord[] {
  const next = random(430902);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const files: [string, string][] = [['KR_KR1a.txt', '經部'], ['KR_KR2k.txt', '史部']];
  const records: DemoRecord[] = REAL_RECORDS.map((input) => ({ input, steps: ['submit', 'approve', 'publish'] }));
  const serials = new Map<string, number>();
  for (const [file, division] of files) {
    for (const work of readKanripoCatalog(readFileSync(new URL(file, kanripoDir), 'utf8'))) {
      if (!work.juan) continue;
      const unit = pick(['0001', '0001', '0001', '0002', '0003', '0004']);
      const serial = (serials.get(unit) ?? 0) + 1;
      serials.set(unit, serial);
      const damage = pick(['基本完好', '轻度', '轻度', '中度', '严重', '特残']);
      const input: RecordInput = {
        censusNumber: `430000-${unit}-${String(serial).padStart(7, '0')}`,
        callNumber: `資${unit.slice(2)}-${String(serial).padStart(4, '0')}`,
        titleStatement: composeTitleStatement(work),
        ...(work.persons.length ? { creatorStatement: composeCreatorStatement(work.persons) } : {}),
        editionStatement: demoEdition(next),
        volumeCount: work.volumes ?? 1,
        holdingUnit: unit,
        classification: `${division} ${work.category}`,
        grade: pick(['普通古籍', '普通古籍', '普通古籍', '三级乙等', '三级丙等', '二级丙等']),
        gradeStandard: 'GB/T 31076.1-2014',
        damage: { grade: damage, types: damage === '基本完好' ? [] : [pick(['虫蛀', '霉蚀', '酸化', '老化', '水渍', '线断'])] },
        binding: '线装',
      };
      const r = next();
      const steps: TransitionAction[] =
        r < 0.75 ? ['submit', 'approve', 'publish'] : r < 0.82 ? ['submit', 'approve'] : r < 0.9 ? ['submit'] : [];
      records.push({ input, steps });
    }
  }
  return records;
}

/** Loads the demo through the services, so every record passes the same rules as a surveyor's. */
export async function loadDemoCatalogue(services: Services, admin: Actor): Promise<number> {
  for (const unit of DEMO_UNITS) await services.units.create(admin, unit);
  const records = buildDemoRecords(new URL('./kanripo/', import.meta.url));
  for (const { input, steps } of records) {
    await services.records.register(admin, input);
    for (const action of steps) await services.records.transition(admin, input.censusNumber, { action });
  }
  await services.records.register(admin, DIGITIZED_RECORD);
  const scans = fileURLToPath(new URL('./scans/', import.meta.url));
  const files = DEMO_LEAVES.map((leaf) => ({ filename: `${leaf}.png`, path: `${scans}${leaf}.png`, bytes: statSync(`${scans}${leaf}.png`).size }));
  const { job, batch } = await services.scans.createJob(admin, DIGITIZED_RECORD.censusNumber, files);
  const done = await services.scans.run(admin, job, batch);
  const refused = done.files.filter((f) => f.outcome === 'refused');
  if (refused.length > 0) throw new Error(`the demo scans were refused: ${refused.map((f) => `${f.filename} (${f.reason})`).join(', ')}`);
  for (const action of ['submit', 'approve', 'publish'] as const) await services.records.transition(admin, DIGITIZED_RECORD.censusNumber, { action });
  return records.length + 1;
}
