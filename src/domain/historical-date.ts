/**
 * Dates as catalogues write them: dynasty + reign era + year, often with the Western year or a
 * 干支 — `明嘉靖三十年（1551）`, `明萬曆` (era only), `清乾隆間` (during the era),
 * `明嘉靖丁巳(三十六年)` (= 1557), `民國十八年`, `1552`, uncertain `唐?`, approximate `明初期`.
 * The text stays as written (`display`); the structure is derived for sorting and facets.
 */
import { NUMERAL_CHARS, parseNumeral } from './numerals.js';
import { DYNASTY_NAMES, ERA_NAMES, dynastyOfYear, lookupDynasty, resolveEra, type ReignEra } from './reign-eras.js';

export type DatePrecision = 'year' | 'era' | 'dynasty' | 'approx';

export interface HistoricalDate {
  display: string;
  dynasty: string | null;
  reignEra: string | null;
  reignYear: number | null;
  ganzhi: string | null;
  gregorianFrom: number | null;
  gregorianTo: number | null;
  precision: DatePrecision;
  uncertain: boolean;
}

const STEMS = '甲乙丙丁戊己庚辛壬癸';
const BRANCHES = '子丑寅卯辰巳午未申酉戌亥';
const GANZHI = new RegExp(`^[${STEMS}][${BRANCHES}]`);

/** The Western years in [from, to] whose 干支 is the given one (甲子 = 4, 1984 …). */
export function ganzhiYears(ganzhi: string, from: number, to: number): number[] {
  const stem = STEMS.indexOf(ganzhi[0]!);
  const branch = BRANCHES.indexOf(ganzhi[1]!);
  const years: number[] = [];
  for (let y = from; y <= to; y++) {
    if ((((y - 4) % 10) + 10) % 10 === stem && (((y - 4) % 12) + 12) % 12 === branch) years.push(y);
  }
  return years;
}

export function ganzhiOf(year: number): string {
  return STEMS[(((year - 4) % 10) + 10) % 10]! + BRANCHES[(((year - 4) % 12) + 12) % 12]!;
}

const startsWithAny = (text: string, at: number, names: readonly string[]) => names.find((n) => text.startsWith(n, at));

const YEAR = new RegExp(`^(元|[${NUMERAL_CHARS}]+)年`);
const PAREN_YEAR = new RegExp(`^[（(](元|[${NUMERAL_CHARS}]+)年?[）)]`);
const WESTERN_IN_PARENS = /^\s*[（(]\s*(\d{3,4})\s*(?:年)?\s*[）)]/;
const LEADING_WESTERN = /^(\d{3,4})年?/;
const APPROX = /^(初期|前期|中期|後期|后期|晚期|末期|末年|初年|初|中葉|中叶|中|末|晚)/;
const UNCERTAIN = /^[?？]/;

interface Span {
  from: number;
  to: number;
}

/** The part of a span an approximate qualifier means: 初 the first third, 中 the middle, 末 the last. */
function approxPart(span: Span, qualifier: string): Span {
  const third = Math.max(1, Math.round((span.to - span.from + 1) / 3));
  if (/^(初|前)/.test(qualifier)) return { from: span.from, to: Math.min(span.to, span.from + third - 1) };
  if (/^中/.test(qualifier)) return { from: span.from + third, to: Math.max(span.from + third, span.to - third) };
  return { from: Math.max(span.from, span.to - third + 1), to: span.to };
}

export interface ParsedDate {
  date: HistoricalDate;
  /** Index in the text just after the date. */
  end: number;
}

/**
 * Reads a date at the start of `text`. Returns null when the text does not begin with a
 * dynasty, an era or a Western year.
 */
export function parseDateAt(text: string): ParsedDate | null {
  let i = 0;
  let dynasty: string | null = null;
  let era: ReignEra | undefined;
  let reignYear: number | null = null;
  let ganzhi: string | null = null;
  let western: number | null = null;
  let span: Span | null = null;
  let precision: DatePrecision = 'dynasty';
  let uncertain = false;

  const leading = LEADING_WESTERN.exec(text);
  if (leading) {
    western = Number(leading[1]);
    i = leading[0].length;
    dynasty = dynastyOfYear(western) ?? null;
    precision = 'year';
    span = { from: western, to: western };
  } else {
    const d = startsWithAny(text, i, DYNASTY_NAMES);
    if (d) {
      dynasty = d;
      i += d.length;
      const known = lookupDynasty(d)!;
      span = { from: known.from, to: known.to };
    }
    const eraName = startsWithAny(text, i, ERA_NAMES);
    if (eraName) {
      era = resolveEra(eraName, dynasty ?? undefined, undefined);
    } else if (lookupDynasty(dynasty ?? '')?.name === '民國' && YEAR.test(text.slice(i))) {
      // 民國十八年: 民國 is both the dynasty and the era its years count from.
      era = resolveEra('民國');
    }
    if (era) {
      i += eraName?.length ?? 0;
      dynasty = dynasty ?? era.dynasty;
      span = { from: era.from, to: era.to };
      precision = 'era';
    }
    if (!span) return null;

    if (era) {
      const year = YEAR.exec(text.slice(i));
      if (year) {
        reignYear = year[1] === '元' ? 1 : parseNumeral(year[1]!);
        i += year[0].length;
      }
      const gz = GANZHI.exec(text.slice(i));
      if (gz) {
        ganzhi = gz[0];
        i += 2;
        if (text[i] === '年') i += 1;
        // 明嘉靖丁巳(三十六年): the era year may follow the 干支 in brackets.
        const inParens = PAREN_YEAR.exec(text.slice(i));
        if (inParens) {
          reignYear = inParens[1] === '元' ? 1 : parseNumeral(inParens[1]!);
          i += inParens[0].length;
        }
      }
      if (reignYear !== null) {
        const y = era.from + reignYear - 1;
        span = { from: y, to: y };
        precision = 'year';
        if (y > era.to) uncertain = true;
      } else if (ganzhi) {
        const years = ganzhiYears(ganzhi, era.from, era.to);
        if (years.length > 0) {
          span = { from: years[0]!, to: years[0]! };
          reignYear = years[0]! - era.from + 1;
          precision = 'year';
          if (years.length > 1) uncertain = true;
        } else {
          uncertain = true;
        }
      }
    }
  }

  // 至: a range, `清乾隆四十年至四十七年` or `清康熙至乾隆間`.
  if (text[i] === '至' && span) {
    const rest = text.slice(i + 1);
    const eraName = startsWithAny(rest, 0, ERA_NAMES);
    const toEra = eraName ? resolveEra(eraName, dynasty ?? undefined) : era;
    let j = eraName?.length ?? 0;
    const year = YEAR.exec(rest.slice(j));
    if (toEra && (eraName || year)) {
      if (year) {
        const n = year[1] === '元' ? 1 : parseNumeral(year[1]!);
        if (n !== null) span = { from: span.from, to: toEra.from + n - 1 };
        j += year[0].length;
      } else {
        span = { from: span.from, to: toEra.to };
      }
      precision = year && precision === 'year' ? 'year' : 'era';
      i += 1 + j;
    }
  }

  const wp = WESTERN_IN_PARENS.exec(text.slice(i));
  if (wp) {
    western = Number(wp[1]);
    i += wp[0].length;
    if (precision !== 'year' || !span || span.from !== western) {
      // The Western year the surveyor wrote wins over what the era table computes.
      if (span && span.from !== western && precision === 'year') uncertain = true;
      span = { from: western, to: western };
      precision = 'year';
    }
  }

  if (precision !== 'year') {
    if (text.startsWith('間', i) || text.startsWith('间', i)) {
      i += 1;
    } else {
      const approx = APPROX.exec(text.slice(i));
      if (approx && span) {
        span = approxPart(span, approx[1]!);
        precision = 'approx';
        i += approx[0].length;
      }
    }
  }
  if (UNCERTAIN.test(text.slice(i))) {
    uncertain = true;
    i += 1;
  }
  return {
    date: {
      display: text.slice(0, i),
      dynasty,
      reignEra: era?.name ?? null,
      reignYear,
      ganzhi: ganzhi ?? (precision === 'year' && span && era ? ganzhiOf(span.from) : null),
      gregorianFrom: span?.from ?? null,
      gregorianTo: span?.to ?? null,
      precision,
      uncertain,
    },
    end: i,
  };
}
