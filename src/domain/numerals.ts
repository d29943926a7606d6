/**
 * Chinese numerals as catalogues write them: 三十, 一百二十, 百二十 (= 120), 四百十六, 廿三,
 * positional 一〇三, Arabic and full-width digits. `□` marks a digit the surveyor could not read.
 */
const DIGITS: Readonly<Record<string, number>> = {
  〇: 0, 零: 0, 一: 1, 壹: 1, 二: 2, 貳: 2, 贰: 2, 兩: 2, 两: 2, 三: 3, 叁: 3, 參: 3, 四: 4, 肆: 4,
  五: 5, 伍: 5, 六: 6, 陸: 6, 陆: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const UNITS: Readonly<Record<string, number>> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000, 萬: 10000, 万: 10000 };
const TENS_WORDS: Readonly<Record<string, number>> = { 廿: 20, 卅: 30, 卌: 40 };

/** Characters that may form a numeral, `□` included. Used to build patterns. */
export const NUMERAL_CHARS = '〇零一二三四五六七八九十百千萬万兩两廿卅卌壹貳贰叁參肆伍陸陆柒捌玖拾佰仟□0-9０-９';

/** A numeral in Chinese or Arabic digits, or null when the text is not one (or has a □). */
export function parseNumeral(text: string): number | null {
  if (text.length === 0 || text.includes('□')) return null;
  const ascii = text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  if (/^\d+$/.test(ascii)) return Number(ascii);
  const chars = [...text];
  if (chars.every((c) => DIGITS[c] !== undefined) && chars.length > 1) {
    // Positional form: 一〇三 = 103, 一九二九 = 1929.
    return Number(chars.map((c) => DIGITS[c]).join(''));
  }
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  for (const c of chars) {
    const d = DIGITS[c];
    if (d !== undefined) {
      // 〇 inside a numeral is a placeholder (一千〇十 = 1010), not a multiplier.
      digit = d === 0 ? null : d;
      continue;
    }
    const tens = TENS_WORDS[c];
    if (tens !== undefined) {
      section += tens;
      digit = null;
      continue;
    }
    const unit = UNITS[c];
    if (unit === undefined) return null;
    if (unit === 10000) {
      total += (section + (digit ?? 0)) * unit;
      section = 0;
    } else {
      // 十 alone means 10 (十二 = 12); 百二十 = 120.
      section += (digit ?? 1) * unit;
    }
    digit = null;
  }
  return total + section + (digit ?? 0);
}

const SMALL = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** Writes a number the way catalogues write 卷 counts: 30 → 三十, 118 → 一百十八, 1000 → 一千. */
export function formatNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 10000) return String(n);
  if (n < 10) return SMALL[n]!;
  const parts: string[] = [];
  const thousands = Math.floor(n / 1000);
  const hundreds = Math.floor((n % 1000) / 100);
  const tens = Math.floor((n % 100) / 10);
  const ones = n % 10;
  if (thousands) parts.push(SMALL[thousands]!, '千');
  if (hundreds) parts.push(SMALL[hundreds]!, '百');
  else if (thousands && (tens || ones)) parts.push('〇');
  // Classical style: 一百十八, not 一百一十八.
  if (tens) parts.push(tens === 1 ? '' : SMALL[tens]!, '十');
  else if (hundreds && ones) parts.push('〇');
  if (ones) parts.push(SMALL[ones]!);
  return parts.join('');
}

/** The largest count a census field takes (册数 of the largest sets run to a few thousand). */
const MAX_COUNT = 100000;

/**
 * A count as surveyors write it in a sheet or a form — `18`, `１８`, `十八`, `四` — or null when
 * the text is not a whole number within 0…100000 (□ digits, fractions, words).
 */
export function parseCount(written: string): number | null {
  const text = written.trim();
  if (text.length === 0 || text.length > 12 || !new RegExp(`^[${NUMERAL_CHARS}]+$`).test(text)) return null;
  const n = parseNumeral(text);
  return n !== null && Number.isSafeInteger(n) && n >= 0 && n <= MAX_COUNT ? n : null;
}

/** A count given as a number (JSON, a spreadsheet's number cell) or as written: a whole number, or null. */
export function readCount(written: number | string): number | null {
  const n = typeof written === 'number' ? written : parseCount(written);
  return n !== null && Number.isInteger(n) ? n : null;
}
