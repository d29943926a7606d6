/**
 * 题名卷数: the title with its 卷 count, written as one string — `［萬曆］金華府志三十卷`,
 * `通書類聚尅擇大全□□卷` (□ marks a digit that could not be read), `周易本義四卷首一卷`,
 * `說文解字不分卷`. The statement is kept as written; this derives its structure.
 */
import { NUMERAL_CHARS, parseNumeral } from './numerals.js';

export interface JuanCount {
  /** The 卷 count as written, e.g. `三十卷`, `□□卷`, `不分卷`. */
  text: string;
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

export interface TitleStructure {
  /** A bracketed qualifier leading the title, such as the era of a gazetteer: 萬曆 in ［萬曆］. */
  qualifier: string | null;
  title: string;
  juan: JuanCount | null;
  supplements: TitleSupplement[];
}

const N = `[${NUMERAL_CHARS}]`;
// A leading qualifier in full- or half-width brackets: ［萬曆］ [萬曆] 〔萬曆〕 【萬曆】.
const QUALIFIER = /^\s*[［\[〔【]([^］\]〕】]+)[］\]〕】]\s*/;
const JUAN = new RegExp(`(${N}+)卷|不分卷`, 'g');

function juanOf(text: string): JuanCount {
  if (text === '不分卷') return { text, count: null, unknownDigits: false, undivided: true };
  const digits = text.slice(0, -1);
  return { text, count: parseNumeral(digits), unknownDigits: digits.includes('□'), undivided: false };
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
  let cursor = first.index + first[0].length;
  for (const m of counts.slice(1)) {
    const label = rest.slice(cursor, m.index).replace(/^[\s，,、]+|[\s，,、]+$/g, '');
    supplements.push({ label, juan: juanOf(m[0]) });
    cursor = m.index + m[0].length;
  }
  const tail = rest.slice(cursor).trim();
  // Text after the last count that is not itself a count (e.g. 附錄 without 卷) stays visible as a supplement.
  if (tail) supplements.push({ label: tail, juan: { text: '', count: null, unknownDigits: false, undivided: false } });
  return { qualifier, title: title || rest, juan, supplements };
}
