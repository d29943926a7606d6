/**
 * 题名卷数: the title with its 卷 count, written as one string — `［萬曆］金華府志三十卷`,
 * `通書類聚尅擇大全□□卷` (□ marks a digit that could not be read), `周易本義四卷首一卷`,
 * `說文解字不分卷`. The statement is kept as written; this derives its structure.
 */
import { NUMERAL_CHARS, parseNumeral } from './numerals.js';

export interface JuanCount {
  /** The 卷 count as written, e.g. `三十卷`, `□□卷`, `不分卷`, `一百二十回`. */
  text: string;
  /**
   * What is counted: 卷, or for fiction and drama 回 (chapters) and 齣/出 (scenes), for
   * collections 種 (works). Absent on counts derived before units were read: 卷.
   */
  unit?: CountUnit;
  /** The number of 卷, null when a digit is unreadable (□) or the work is not divided. */
  count: number | null;
  /** True when the count has □ digits: the work has 卷 but how many is unknown. */
  unknownDigits: boolean;
  /** True for 不分卷: the work is not divided into 卷. */
  undivided: boolean;
}

export interface TitleSupplement {
  /** What the supplement is, as written: 首, 末, 附錄, 補遺, 圖說 … */
  label: string;
  juan: JuanCount;
}

export type CountUnit = '卷' | '回' | '齣' | '出' | '種';

export interface TitleStructure {
  /** A bracketed qualifier leading the title, such as the era of a gazetteer: 萬曆 in ［萬曆］. */
  qualifier: string | null;
  title: string;
  juan: JuanCount | null;
  supplements: TitleSupplement[];
  /** The part of the work the copy holds when the title says so: `存二十卷` in `…四十卷存二十卷`. */
  extant?: JuanCount | null;
}

const N = `[${NUMERAL_CHARS}]`;
// A leading qualifier in full- or half-width brackets: ［萬曆］ [萬曆] 〔萬曆〕 【萬曆】.
const QUALIFIER = /^\s*[［[〔【]([^］\]〕】]+)[］\]〕】]\s*/;
// 卷, and the 回 of novels, the 齣/出 of plays and the 種 of collections: 紅樓夢一百二十回.
const JUAN = new RegExp(`(${N}+)(卷|回|齣|出|種|种)|不分卷`, 'g');
/** What a copy that holds only part of a work writes before its count: 存, 殘存, 僅存. */
const EXTANT_LABEL = /^(存|殘存|残存|僅存|仅存|殘|残)$/;

function juanOf(text: string): JuanCount {
  if (text === '不分卷') return { text, unit: '卷', count: null, unknownDigits: false, undivided: true };
  const digits = text.slice(0, -1);
  const unit = (text.endsWith('种') ? '種' : text.slice(-1)) as CountUnit;
  return { text, unit, count: parseNumeral(digits), unknownDigits: digits.includes('□'), undivided: false };
}

export function parseTitleStatement(statement: string): TitleStructure {
  let rest = statement.trim();
  let qualifier: string | null = null;
  const q = QUALIFIER.exec(rest);
  if (q) {
    qualifier = q[1]!.trim();
    rest = rest.slice(q[0].length);
  }
  const counts = [...rest.matchAll(JUAN)];
  const first = counts[0];
  if (!first) return { qualifier, title: rest, juan: null, supplements: [] };

  const title = rest.slice(0, first.index).trim();
  const juan = juanOf(first[0]);
  const supplements: TitleSupplement[] = [];
  let extant: JuanCount | null = null;
  let cursor = first.index + first[0].length;
  for (const m of counts.slice(1)) {
    const label = rest.slice(cursor, m.index).replace(/^[\s，,、（(]+|[\s，,、]+$/g, '');
    // `…四十卷存二十卷`: 存 is the part this copy holds, not a supplement of the work.
    if (EXTANT_LABEL.test(label) && !extant) extant = juanOf(m[0]);
    else supplements.push({ label, juan: juanOf(m[0]) });
    cursor = m.index + m[0].length;
  }
  const tail = rest.slice(cursor).trim();
  // Text after the last count that is not itself a count (e.g. 附錄 without 卷) stays visible as a supplement.
  if (tail && !(extant && /^[）)]$/.test(tail))) supplements.push({ label: tail, juan: { text: '', count: null, unknownDigits: false, undivided: false } });
  return { qualifier, title: title || rest, juan, supplements, extant };
}

/** 存卷 parsed: how many 卷 the copy holds and which. */
export interface ExtantJuan {
  /** The count written (`存十二卷` → 12), or null. */
  count: number | null;
  /** Numbered 卷 held, as ranges in the order written: `卷三至五` → {from: 3, to: 5}. */
  ranges: { from: number; to: number }[];
  /** Named parts held: 卷首, 卷末, 附錄, 目錄 … */
  named: string[];
  /** Parts of the statement that could not be read, as written. */
  unread: string[];
}

/** No work runs to more 卷 than this (太平御覽 has 1000, 四庫全書 36,000 in all); a longer range is a misreading. */
const MAX_JUAN = 40000;
const NAMED_PART = /^(卷首|卷末|首卷|末卷|首|末|附錄|附录|附|目錄|目录|序|補遺|补遗|續編|续编|外編|外编|圖|图)(?:[上下中一二三四五六七八九十]+)?(?:卷)?$/;

/**
 * 存卷 as surveyors write it: `存四卷（十六至十九）`, `存十二卷（一至十二）`, `存卷首、卷三至五`,
 * `存卷一至三、六`. Bounded: at most 200 items are read.
 */
export function parseExtantStatement(statement: string): ExtantJuan {
  const result: ExtantJuan = { count: null, ranges: [], named: [], unread: [] };
  let rest = statement.trim().replace(/^(殘存|残存|僅存|仅存|存)/, '');
  const count = new RegExp(`^(${N}+)卷`).exec(rest);
  if (count) {
    result.count = parseNumeral(count[1]!);
    rest = rest.slice(count[0].length);
  }
  rest = rest.replace(/^\s*[（(]/, '').replace(/[）)]\s*$/, '');
  const items = rest.split(/[、，,；;\s]+/).filter(Boolean).slice(0, 200);
  for (const item of items) {
    const named = NAMED_PART.exec(item);
    if (named) {
      result.named.push(item);
      continue;
    }
    const range = new RegExp(`^卷?(${N}+)(?:卷)?(?:[至到－~～—-](?:卷)?(${N}+))?(?:卷)?$`).exec(item);
    const from = range ? parseNumeral(range[1]!) : null;
    const to = range?.[2] ? parseNumeral(range[2]) : from;
    if (from !== null && to !== null && from >= 1 && to >= from && to <= MAX_JUAN) result.ranges.push({ from, to });
    else result.unread.push(item);
  }
  return result;
}
