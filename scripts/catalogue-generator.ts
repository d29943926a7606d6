/**
 * Generates realistic census records for tests and benchmarks: titles built from the words of
 * real catalogue titles, persons with dynasties and 著作方式, edition statements with real reign
 * eras, publishers and edition types, classes of the 四部, grades and damage — written in
 * traditional characters, with about a third of the records typed in simplified ones, as
 * catalogues mixing sources are. Deterministic for a given seed.
 */
import { deriveRecord, type CensusRecord, type RecordFields, type RecordStatus } from '../src/domain/census-record.js';
import { formatNumeral } from '../src/domain/numerals.js';
import { REIGN_ERAS } from '../src/domain/reign-eras.js';
import { fold } from '../src/domain/text-fold.js';
import { defaultVocabulary } from '../src/domain/vocabulary.js';
import { random } from '../src/demo/random.js';

const PREFIXES = ['欽定', '御纂', '重訂', '增補', '新刊', '校正', '重刻', '批點', '詳註', '箋註', '繪圖', '', '', '', '', '', '', ''];
const SUBJECTS = [
  '周易', '尚書', '毛詩', '禮記', '周禮', '儀禮', '春秋左傳', '春秋公羊傳', '論語', '孟子', '大學', '中庸', '孝經', '爾雅', '說文解字',
  '史記', '漢書', '後漢書', '三國志', '晉書', '資治通鑑', '通鑑綱目', '貞觀政要', '水經注', '益陽縣志', '湖南通志', '長沙府志', '資陽縣志',
  '荀子', '老子', '莊子', '墨子', '韓非子', '呂氏春秋', '淮南子', '本草綱目', '傷寒論', '黃帝內經', '孫子', '太平御覽', '藝文類聚',
  '楚辭', '文選', '杜工部', '李太白', '韓昌黎', '柳河東', '歐陽文忠公', '蘇東坡', '朱子', '王陽明', '曾文正公', '左文襄公', '船山',
];
const FORMS = ['', '集注', '集解', '正義', '注疏', '章句', '本義', '通釋', '詳節', '輯要', '彙纂', '全集', '文集', '詩集', '遺書', '年譜', '圖說', '考異', '補遺', '選'];
const SURNAMES = '王李張劉陳楊黃趙吳周徐孫馬朱胡郭何高林羅鄭梁謝宋唐許韓馮鄧曹彭曾蕭田董袁潘蔡蔣余杜葉程魏蘇呂丁任沈姚盧姜崔鍾譚陸汪范金石廖賈夏韋付方白鄒孟熊秦邱江尹薛閻段雷侯龍史陶黎賀顧毛郝龔邵萬錢嚴覃武戴莫孔向湯';
const GIVEN = '之子文章德明光國華成安仁義禮智信忠孝廉正道學士元亨利貞宗祖世芳蘭桂松竹梅鶴鳳龍麟雲山水石玉金銘鼎彝書畫詩詞賦頌經史集典謨訓誥';
const ROLES = ['撰', '撰', '撰', '注', '註', '輯', '編', '纂', '校', '評', '疏', '箋', '纂修', '修', '集解', '音義', '述'];
const PUBLISHERS = ['', '', '', '益陽', '長沙', '湖南書局', '思賢講舍', '傳忠書局', '揚州詩局', '金陵書局', '掃葉山房', '武英殿', '崇文書局', '汲古閣', '文林閣', '尊經閣', '經綸堂', '芝城'];
const TYPES = ['刻本', '刻本', '刻本', '刊本', '重刻本', '抄本', '鈔本', '稿本', '木活字印本', '銅活字印本', '朱墨套印本', '石印本', '鉛印本', '寫本', '刻遞修本'];
const CLASSES = ['經部 易類', '經部 書類', '經部 詩類', '經部 禮類', '經部 春秋類', '經部 四書類', '經部 小學類', '史部 正史類', '史部 編年類', '史部 地理類', '史部 傳記類', '子部 儒家類', '子部 醫家類', '子部 兵家類', '子部 雜家類', '子部 類書類', '集部 楚辭類', '集部 別集類', '集部 總集類', '叢部'];
const DYNASTIES = ['漢', '魏', '晉', '唐', '宋', '宋', '元', '明', '明', '明', '清', '清', '清', '清'];
const GRADES = ['普通古籍', '普通古籍', '普通古籍', '普通古籍', '三级丙等', '三级乙等', '三级甲等', '二级丙等', '二级乙等', '一级丙等'];
const DAMAGE = ['基本完好', '轻度', '轻度', '中度', '中度', '严重', '特残'];
const DAMAGE_TYPES = ['虫蛀', '霉蚀', '酸化', '老化', '水渍', '线断', '撕裂', '缺损', '粘连'];
const STATUSES: RecordStatus[] = ['published', 'published', 'published', 'published', 'published', 'approved', 'submitted', 'returned', 'draft', 'draft'];
const ERAS = REIGN_ERAS.filter((e) => ['明', '清', '元', '宋'].includes(e.dynasty) && e.to - e.from >= 3);

export function* generateFields(count: number, seed = 1): Generator<RecordFields> {
  const next = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const name = () => pick([...SURNAMES]) + pick([...GIVEN]) + (next() < 0.7 ? pick([...GIVEN]) : '');
  for (let i = 0; i < count; i++) {
    const unit = String(1 + Math.floor(next() * 12)).padStart(4, '0');
    const juan = next() < 0.08 ? null : 1 + Math.floor(next() * (next() < 0.8 ? 30 : 300));
    const title = `${pick(PREFIXES)}${pick(SUBJECTS)}${pick(FORMS)}`;
    const titleStatement = juan === null ? `${title}${next() < 0.5 ? '不分卷' : '□□卷'}` : `${title}${formatNumeral(juan)}卷`;
    const persons = Array.from({ length: next() < 0.15 ? 0 : next() < 0.75 ? 1 : 2 }, () => `（${pick(DYNASTIES)}）${name()}${pick(ROLES)}`);
    const era = pick(ERAS);
    const year = 1 + Math.floor(next() * (era.to - era.from + 1));
    const datePart =
      next() < 0.2 ? `${era.dynasty}${era.name}間` : next() < 0.1 ? era.dynasty : `${era.dynasty}${era.name}${year === 1 ? '元' : formatNumeral(year)}年（${era.from + year - 1}）`;
    const fields: RecordFields = {
      censusNumber: `430000-${unit}-${String(i + 1).padStart(7, '0')}`,
      callNumber: `${pick(['善', '普', '資', '線'])}${String(Math.floor(next() * 100000)).padStart(5, '0')}`,
      titleStatement,
      ...(persons.length ? { creatorStatement: persons.join('') } : {}),
      editionStatement: `${datePart}${pick(PUBLISHERS)}${pick(TYPES)}`,
      volumeCount: 1 + Math.floor(next() * 24),
      holdingUnit: unit,
      classification: pick(CLASSES),
      grade: pick(GRADES),
      damage: { grade: pick(DAMAGE), types: next() < 0.3 ? [] : [pick(DAMAGE_TYPES)] },
      ...(next() < 0.1 ? { extant: `存${formatNumeral(1 + Math.floor(next() * 9))}卷` } : {}),
      ...(next() < 0.1 ? { notes: `${pick(['書衣題', '卷端題', '版心題', '有', '鈐'])}${pick(SUBJECTS)}${pick(['印', '跋', '序', '批校'])}` } : {}),
    };
    // A third typed in simplified characters (folding gives the simplified forms).
    if (next() < 0.33) {
      fields.titleStatement = fold(fields.titleStatement);
      if (fields.creatorStatement) fields.creatorStatement = fold(fields.creatorStatement);
      fields.editionStatement = fold(fields.editionStatement).replace(/\((\d+)\)/, '（$1）');
    }
    yield fields;
  }
}

const vocabulary = defaultVocabulary();

/** Whole records, derived as the service derives them. */
export function* generateRecords(count: number, seed = 1): Generator<CensusRecord> {
  const next = random(seed + 1);
  const at = new Date(Date.UTC(2026, 0, 1)).toISOString();
  for (const fields of generateFields(count, seed)) {
    yield {
      fields, corrections: {}, derived: deriveRecord(fields, {}, vocabulary),
      status: STATUSES[Math.floor(next() * STATUSES.length)]!, version: 1,
      createdAt: at, updatedAt: at, createdBy: 'generator', updatedBy: 'generator',
    };
  }
}
