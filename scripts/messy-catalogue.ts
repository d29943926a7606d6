/**
 * A real, messy census sheet built from public data: the works of the Kanseki Repository
 * catalogue (src/demo/kanripo/, CC BY-SA 4.0), each held in several copies across the district's
 * units, written as surveyors write them — traditional and simplified, dynasties in brackets or
 * bare and sometimes doubtful (`（唐?）`), persons missing, optional fields empty, stray spaces —
 * with the mistakes real sheets have planted at known rows: 册数 in words, a missing title, a
 * malformed or repeated census number, an unregistered unit, a grade or damage grade outside the
 * vocabulary, a holding unit that contradicts the census number. Deterministic for a seed.
 *
 *   npm run messy-catalogue -- <out.csv> [--rows N]
 *
 * `expected` lists the planted mistakes by row (as Excel numbers it) and column, so a test can
 * check that an import names every one of them and nothing else.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readKanripoCatalog, type KanripoWork } from '../src/demo/kanripo.js';
import { random } from '../src/demo/random.js';
import { formatNumeral } from '../src/domain/numerals.js';
import * as OpenCC from 'opencc-js';

export const MESSY_UNITS = [
  { code: '0001', name: '益阳市资阳区图书馆' },
  { code: '0002', name: '益阳市资阳区档案馆' },
  { code: '0003', name: '益阳市第一中学' },
  { code: '0004', name: '资阳区博物馆' },
  { code: '0005', name: '资阳区私人藏书（登记）' },
];
export const MESSY_HEADINGS = ['普查编号', '索书号', '题名卷数', '著者', '版本', '册数', '存卷', '收藏单位', '分类', '定级', '破损级别', '破损类型', '附注'];

type Mistake = 'volumeWords' | 'noTitle' | 'badNumber' | 'repeatedNumber' | 'unknownUnit' | 'badGrade' | 'badDamage' | 'unitMismatch';
/** The column each planted mistake is named under. */
const COLUMN_OF: Record<Mistake, string> = {
  volumeWords: '册数', noTitle: '题名卷数', badNumber: '普查编号', repeatedNumber: '普查编号', unknownUnit: '收藏单位',
  badGrade: '定级', badDamage: '破损级别', unitMismatch: '收藏单位',
};
const MISTAKES = Object.keys(COLUMN_OF) as Mistake[];
const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

const EDITIONS = [
  (y: () => string) => `清${y()}刻本`, () => '清刻本', () => '清刊本', () => '明刻本', () => '明萬曆刻本', () => '明崇禎間毛氏汲古閣刻本',
  (y: () => string) => `清${y()}武英殿刻本`, () => '清抄本', () => '舊鈔本', () => '民國石印本', () => '民國間上海掃葉山房石印本',
  () => '清光緒間湖南書局刻本', () => '清同治間金陵書局刻本', () => '清木活字印本', () => '清朱墨套印本', () => '唐寫本?', () => '日本刻本',
];
const REIGNS: [string, number, number][] = [['康熙', 1662, 61], ['雍正', 1723, 13], ['乾隆', 1736, 60], ['嘉慶', 1796, 25], ['道光', 1821, 30], ['同治', 1862, 13], ['光緒', 1875, 34]];
const GRADES = ['', '', '普通古籍', '普通古籍', '三级丙等', '三级乙等', '二级乙等'];
const DAMAGE = [['', ''], ['基本完好', ''], ['轻度', '虫蛀'], ['中度', '虫蛀、霉蚀'], ['严重', '酸化、缺损'], ['特残', '霉蚀、粘连、缺损']];
const NOTES = ['', '', '', '', '卷首有序', '鈐“湘潭袁氏”印', '書衣題簽', '殘存卷一至三', '有朱筆圈點'];

export interface MessyCatalogue {
  rows: string[][];
  /** The planted mistakes: row as Excel numbers it (the heading row is 1) and column heading. */
  expected: { row: number; column: string }[];
}

export function messyCatalogue(rowCount = 10_000, seed = 430902): MessyCatalogue {
  const dir = new URL('../src/demo/kanripo/', import.meta.url);
  const works: KanripoWork[] = readdirSync(dir).filter((f) => f.endsWith('.txt')).flatMap((f) => readKanripoCatalog(readFileSync(new URL(f, dir), 'utf8')));
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const year = () => {
    const [era, , years] = pick(REIGNS);
    const n = 1 + Math.floor(rnd() * years);
    return `${era}${n === 1 ? '元' : formatNumeral(n)}年`;
  };
  const serial = new Map<string, number>();
  const rows: string[][] = [];
  const expected: MessyCatalogue['expected'] = [];
  // One planted mistake about every 50 rows, at rows fixed by the seed, never two on one row.
  for (let i = 0; rows.length < rowCount; i++) {
    const work = works[i % works.length]!;
    const unit = MESSY_UNITS[Math.floor(rnd() * MESSY_UNITS.length)]!;
    const n = (serial.get(unit.code) ?? 0) + 1;
    serial.set(unit.code, n);
    const censusNumber = `430000-${unit.code}-${String(n).padStart(7, '0')}`;
    const simplified = rnd() < 0.3;
    const written = (s: string) => (simplified ? toSimplified(s) : s);
    const title = written(`${work.title}${work.juan ? `${formatNumeral(work.juan)}卷` : '不分卷'}`);
    const persons = rnd() < 0.1 ? '' : work.persons.map((p) => {
      const doubt = rnd() < 0.05 ? '?' : '';
      const dynasty = p.dynasty ? (rnd() < 0.7 ? `（${p.dynasty}${doubt}）` : `${p.dynasty}${doubt ? '?' : ''}`) : '';
      return `${dynasty}${p.name}${p.role ?? '撰'}`;
    }).join('');
    const [damageGrade, damageTypes] = pick(DAMAGE);
    const row = [
      censusNumber,
      `${unit.code === '0005' ? '私' : '資'}${unit.code.slice(2)}-${String(n).padStart(4, '0')}`,
      title,
      written(persons),
      written(pick(EDITIONS)(year)),
      String(work.volumes ?? 1 + Math.floor(rnd() * 8)),
      rnd() < 0.1 ? '存卷一至三' : '',
      rnd() < 0.03 ? ` ${unit.code}` : unit.code,
      rnd() < 0.8 ? `${work.id.startsWith('KR1') ? '經部' : '史部'} ${work.category}` : '',
      pick(GRADES),
      damageGrade!,
      damageTypes!,
      pick(NOTES),
    ];
    const rowNumber = rows.length + 2;
    if (rnd() < 0.02 && rows.length > 0) {
      const mistake = pick(MISTAKES);
      plant(mistake, row, rows);
      expected.push({ row: rowNumber, column: COLUMN_OF[mistake] });
    }
    rows.push(row);
  }
  return { rows: [MESSY_HEADINGS, ...rows], expected };
}

function plant(mistake: Mistake, row: string[], earlier: string[][]): void {
  const at = (heading: string) => MESSY_HEADINGS.indexOf(heading);
  switch (mistake) {
    case 'volumeWords': row[at('册数')] = `${formatNumeral(Number(row[at('册数')]) || 2)}册`; break;
    case 'noTitle': row[at('题名卷数')] = ''; break;
    case 'badNumber': row[at('普查编号')] = row[at('普查编号')]!.replace(/^430000-/, '430902-').slice(0, -1); break;
    case 'repeatedNumber': {
      const first = earlier[Math.floor(earlier.length / 2)]!;
      row[at('普查编号')] = first[at('普查编号')]!;
      row[at('收藏单位')] = first[at('收藏单位')]!;
      break;
    }
    case 'unknownUnit': row[at('普查编号')] = row[at('普查编号')]!.replace(/^430000-\d{4}/, '430000-0099'); row[at('收藏单位')] = '0099'; break;
    case 'badGrade': row[at('定级')] = '五级'; break;
    case 'badDamage': row[at('破损级别')] = '很破'; break;
    case 'unitMismatch': row[at('收藏单位')] = row[at('收藏单位')] === '0001' ? '0002' : '0001'; break;
  }
}

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
export const toCsv = (rows: string[][]) => rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const out = args.find((a) => !a.startsWith('--'));
  const rowsArg = args.indexOf('--rows');
  if (!out) {
    console.error('usage: npm run messy-catalogue -- <out.csv> [--rows N]');
    process.exit(2);
  }
  const { rows, expected } = messyCatalogue(rowsArg >= 0 ? Number(args[rowsArg + 1]) : 10_000);
  writeFileSync(out, toCsv(rows));
  console.log(`${out}: ${rows.length - 1} rows, ${expected.length} with a planted mistake`);
}
