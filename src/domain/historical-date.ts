/**
 * Dates as catalogues write them: dynasty + reign era + year, often with the Western year or a
 * 干支 — `明嘉靖三十年（1551）`, `明萬曆` (era only), `清乾隆間` (during the era),
 * `明嘉靖丁巳(三十六年)` (= 1557), `清道光十五年乙未（1835）`, `清光緒乙未（1895）`, `民國十八年`,
 * `1552`, uncertain `唐?`, approximate `明初期`, `明末清初`, ranges `清乾隆嘉慶間`,
 * `道光二年至四年`, and the calendars of Japan, Korea and Vietnam (`日本元祿九年（1696）`,
 * `朝鮮正祖五年（1781）`, `越南明命`). The text stays as written (`display`); the structure is
 * derived for sorting and facets.
 */
import { parseNumeral } from './numerals.js';
import { fold } from './text-fold.js';
import {
  DYNASTY_NAMES, ERA_NAMES, FOREIGN_CALENDARS, dynastyOfYear, foreignCalendarAt, lookupDynasty, resolveEra,
  type ForeignCalendar, type ReignEra,
} from './reign-eras.js';

export type DatePrecision = 'year' | 'era' | 'dynasty' | 'approx';

/** How a written qualifier narrows or widens a date: during (間), early (初), middle (中), late (末), about (前後). */
export type DateQualifier = '間' | '初' | '中' | '末' | '前後';

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
  /** Whose calendar the date is written in: 中國, 日本, 朝鮮 or 越南 (null when no calendar is named). */
  country?: string | null;
  /** 間, 初, 中, 末 or 前後 as the statement qualifies the date, or null. */
  qualifier?: DateQualifier | null;
}

/**
 * The years a derived date may take. Dynasty spans reaching further (周 from −1046) are cut here:
 * no book in the census is older, and a year outside it can only be a misreading.
 */
export const YEAR_FLOOR = -1000;
export const YEAR_CEILING = 2100;

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

/**
 * Names looked up in text folded for search (src/domain/text-fold.ts): 光绪 finds 光緒, 天啓 finds
 * 天啟, 淸 finds 清. Folding keeps one character for one, so positions in the folded text are
 * positions in the text as written.
 */
class Names {
  /** Folded name → name as the table writes it, by first character, longest first. */
  private readonly byFirst = new Map<string, (readonly [string, string])[]>();
  constructor(names: Iterable<string>) {
    const folded = [...names].map((n) => [fold(n), n] as const).sort((a, b) => b[0].length - a[0].length);
    for (const entry of folded) this.byFirst.set(entry[0][0]!, [...(this.byFirst.get(entry[0][0]!) ?? []), entry]);
  }
  /** The name (as the table writes it) that the folded text has at `at`. */
  at(text: string, at: number): string | undefined {
    return this.byFirst.get(text[at] ?? '')?.find(([f]) => text.startsWith(f, at))?.[1];
  }
}
const foldSameLength = (text: string) => {
  const folded = fold(text);
  return folded.length === text.length ? folded : text;
};

// Reign years are written in Chinese numerals; Arabic digits in brackets are a Western year.
const CN = '〇零一二三四五六七八九十百廿卅卌兩两□';
const YEAR = new RegExp(`^(元|[${CN}0-9０-９]+)年`);
const PAREN_YEAR = new RegExp(`^[（(](元|[${CN}]+)年?[）)]`);
const WESTERN_IN_PARENS = /^\s*[（(]\s*(?:公元|西元)?\s*(\d{3,4})\s*(?:年)?\s*[）)]/;
const LEADING_WESTERN = /^(\d{3,4})(?:年)?/;
const APPROX = /^(初期|前期|中期|後期|后期|晚期|末期|末年|初年|初|中葉|中叶|中|末|晚)/;
const ABOUT = /^(前後|前后|左右)/;
const UNCERTAIN = /^[?？]/;
/** A reign year past the era's end is kept (loyalists dated by a fallen era) up to this many years. */
const YEARS_PAST_ERA = 30;

const PLACES = ['金陵', '金華', '金谿', '金壇', '金閶', '吳郡', '吳縣', '吳興', '吳門', '吳江', '吳中', '吳越', '梁溪', '秦淮', '魏塘', '陳留', '燕山', '蜀中', '宋城', '晉江', '晉陵'].map(fold);

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

const qualifierOf = (written: string): DateQualifier => (/^(初|前)/.test(written) ? '初' : /^中/.test(written) ? '中' : '末');

export interface ParsedDate {
  date: HistoricalDate;
  /** Index in the text just after the date. */
  end: number;
  /** The era the date is counted in, for a later date that gives only a year (刻十八年印). */
  era?: ReignEra;
}

/** What an earlier date in the same statement already named: `清光緒十年刻十八年印` counts 十八年 in 光緒. */
export interface DateContext {
  dynasty: string | null;
  era?: ReignEra;
  country?: string | null;
}

interface Calendar {
  country: string;
  dynastyNames: Names;
  eraNames: Names;
  dynasty(written: string): { name: string; from: number; to: number } | undefined;
  era(written: string, dynasty: string | null): ReignEra | undefined;
}

const CHINA: Calendar = {
  country: '中國',
  dynastyNames: new Names(DYNASTY_NAMES),
  eraNames: new Names(ERA_NAMES),
  dynasty: lookupDynasty,
  era: (written, dynasty) => {
    const era = resolveEra(written, dynasty ?? undefined);
    // An era named alone dates a printed book of 宋 or later: 大興朱氏, 建安余氏, 上元宗氏 name
    // places, not the eras of 晉, 東漢 or 唐 — earlier eras must come with their dynasty.
    if (!era || !dynasty) return era && era.from >= 960 ? era : undefined;
    // 宋建安余氏刊本: 建安 is a place here, not the era of 東漢 — an era must belong to the dynasty named.
    const named = lookupDynasty(dynasty)?.name ?? dynasty;
    return era.dynasty === named || era.regime === named ? era : undefined;
  },
};

function calendarOf(foreign: ForeignCalendar): Calendar {
  return {
    country: foreign.country,
    dynastyNames: new Names(foreign.dynastyNames),
    eraNames: new Names(foreign.eraNames),
    dynasty: (written) => foreign.dynasties.get(written),
    // 高麗高宗 and 朝鮮高宗 are two kings: the dynasty written before the name chooses; without
    // one, or with one that has no king of the name (朝鮮 also names the country), the first listed.
    era: (written, dynasty) => {
      const named = dynasty === null ? undefined : foreign.dynasties.get(dynasty)?.name;
      return foreign.erasNamed.get(written)?.find((era) => era.dynasty === named) ?? foreign.eras.get(written);
    },
  };
}
const FOREIGN = new Map<ForeignCalendar, Calendar>();
const calendarFor = (foreign: ForeignCalendar) => FOREIGN.get(foreign) ?? FOREIGN.set(foreign, calendarOf(foreign)).get(foreign)!;

const numeral = (written: string) => (written === '元' ? 1 : parseNumeral(written));

/** One dynasty or era with its year, 干支 and approximate qualifier: the unit a range joins. */
interface Point {
  dynasty: string | null;
  era: ReignEra | undefined;
  reignYear: number | null;
  ganzhi: string | null;
  span: Span;
  precision: DatePrecision;
  uncertain: boolean;
  qualifier: DateQualifier | null;
  end: number;
}

/**
 * Reads a dynasty and/or an era at `at`, then its year or 干支. `context` is the dynasty already
 * named (for the second half of a range: 明萬曆至崇禎 stays in 明).
 */
function pointAt(text: string, at: number, calendar: Calendar, context: string | null, contextEra?: ReignEra): Point | null {
  let i = at;
  let dynasty: string | null = null;
  let span: Span | null = null;
  let era: ReignEra | undefined;
  let precision: DatePrecision = 'dynasty';
  let reignYear: number | null = null;
  let ganzhi: string | null = null;
  let uncertain = false;
  let qualifier: DateQualifier | null = null;

  const d = calendar.dynastyNames.at(text, i);
  // 元 is a dynasty and 元年 the first year of an era: 至元年 must not read 元 as a dynasty; nor
  // are 金陵, 吳郡, 梁溪 … dynasties: places named after old states begin many imprints.
  // 吳氏, 宋氏: a surname before 氏 is not a dynasty.
  if (d && !(d === '元' && text[i + 1] === '年') && !PLACES.some((p) => text.startsWith(p, i)) && text[i + d.length] !== '氏') {
    const known = calendar.dynasty(d)!;
    dynasty = known.name;
    span = { from: known.from, to: known.to };
    i += d.length;
  }
  const eraName = calendar.eraNames.at(text, i);
  if (eraName) era = calendar.era(eraName, dynasty ?? context);
  else if (calendar === CHINA && (dynasty ?? context) === '民國' && YEAR.test(text.slice(i))) {
    // 民國十八年: 民國 is both the dynasty and the era its years count from.
    era = resolveEra('民國');
  } else if (!dynasty && contextEra && YEAR.test(text.slice(i))) {
    era = contextEra;
  }
  if (era) {
    i += eraName?.length ?? 0;
    dynasty = dynasty ?? (calendar === CHINA ? era.dynasty : era.dynasty === calendar.country ? null : era.dynasty);
    span = { from: era.from, to: era.to };
    precision = 'era';
  }
  if (!span) return null;

  if (era) {
    const year = YEAR.exec(text.slice(i));
    if (year) {
      reignYear = numeral(year[1]!);
      i += year[0].length;
    }
    const gz = GANZHI.exec(text.slice(i));
    if (gz) {
      ganzhi = gz[0];
      i += 2;
      if (text[i] === '年') i += 1;
      // 明嘉靖丁巳(三十六年): the era year may follow the 干支 in brackets, in Chinese numerals.
      const inParens = PAREN_YEAR.exec(text.slice(i));
      if (inParens) {
        reignYear = numeral(inParens[1]!);
        i += inParens[0].length;
      }
    }
    if (reignYear !== null && reignYear >= 1 && reignYear <= era.to - era.from + 1 + YEARS_PAST_ERA) {
      const y = era.from + reignYear - 1;
      span = { from: y, to: y };
      precision = 'year';
      if (y > era.to) uncertain = true;
      // 清道光十五年乙未: a 干支 that is not the year's own casts doubt on the date.
      if (ganzhi && ganzhiOf(y) !== ganzhi) uncertain = true;
    } else if (reignYear !== null) {
      // 乾隆九百年: a year the era never reached is a misreading; the era is what is known.
      reignYear = null;
      uncertain = true;
    }
    if (reignYear === null && ganzhi) {
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
  } else {
    // 清乙未: a 干支 under a dynasty alone; the Western year that usually follows settles it.
    const gz = GANZHI.exec(text.slice(i));
    if (gz && text[i + 2] !== '本') {
      ganzhi = gz[0];
      i += 2;
      if (text[i] === '年') i += 1;
    }
  }

  if (precision !== 'year') {
    const approx = APPROX.exec(text.slice(i));
    // 明末, 清初期 — but not the 中 of 中華 or 初 of 初刻.
    if (approx && !/^(中華|中华|中國|中国)/.test(text.slice(i))) {
      span = approxPart(span, approx[1]!);
      precision = 'approx';
      qualifier = qualifierOf(approx[1]!);
      i += approx[0].length;
    }
  }
  return { dynasty, era, reignYear, ganzhi, span, precision, uncertain, qualifier, end: i };
}

/**
 * Reads a date at the start of `text`. Returns null when the text does not begin with a
 * dynasty, an era, a foreign country's calendar or a Western year.
 */
export function parseDateAt(written: string, context?: DateContext): ParsedDate | null {
  // Matched folded (光绪 as 光緒); the display keeps the text as written.
  const text = foldSameLength(written);
  let i = 0;
  let western: number | null = null;
  let calendar = CHINA;
  let first: Point | null = null;
  let span: Span | null = null;
  let uncertain = false;
  let precision: DatePrecision = 'dynasty';
  let qualifier: DateQualifier | null = null;
  let dynasty: string | null = null;
  let countryNamed = false;

  const leading = LEADING_WESTERN.exec(text);
  if (leading) {
    western = Number(leading[1]);
    i = leading[0].length;
    dynasty = dynastyOfYear(western) ?? null;
    precision = 'year';
    span = { from: western, to: western };
  } else {
    const foreign = foreignCalendarAt(text);
    const contextCalendar = context?.country ? FOREIGN_CALENDARS.find((c) => c.country === context.country) : undefined;
    if (contextCalendar && !foreign) calendar = calendarFor(contextCalendar);
    if (foreign) {
      calendar = calendarFor(foreign.calendar);
      countryNamed = true;
      // 朝鮮, 高麗 name a dynasty as well as the country: read them as such.
      if (!foreign.calendar.dynasties.has(foreign.written)) i += foreign.written.length;
    }
    first = pointAt(text, i, calendar, context?.dynasty ?? null, context?.era);
    if (!first && !countryNamed) return null;
    if (first) {
      i = first.end;
      span = first.span;
      precision = first.precision;
      uncertain = first.uncertain;
      qualifier = first.qualifier;
      dynasty = first.dynasty;
    }
  }

  let ranged = false;
  if (first) {
    // 清乾隆三十八年（1773）至四十七年（1782）: the first half's Western year, then the range.
    const firstWestern = WESTERN_IN_PARENS.exec(text.slice(i));
    if (firstWestern && text[i + firstWestern[0].length] === '至') {
      const year = Number(firstWestern[1]);
      if (year >= YEAR_FLOOR && year <= YEAR_CEILING) {
        if (precision === 'year' && span!.from !== year) uncertain = true;
        span = { from: year, to: year };
        precision = 'year';
      }
      i += firstWestern[0].length;
    }
    // 清乾隆嘉慶間, 同治光緒間, 明末清初: a second era or dynasty straight after the first closes a range.
    const second = /^[、]?/.exec(text.slice(i))![0].length;
    const next = pointAt(text, i + second, calendar, dynasty);
    // Two dynasties join only as a range the statement marks (明清間, 明末清初, 宋元遞修): 明淸眞館 is a studio.
    const joined = next && (next.era || next.qualifier || /^(間|间|閒|闲|遞|递|修|刻|刊|印|抄|鈔|寫|写|之際|之际)/.test(text.slice(next.end)));
    if (next && joined && next.span.to >= span!.from && (next.era || !first.era)) {
      span = { from: span!.from, to: next.span.to };
      precision =
        first.precision === 'year' && next.precision === 'year' ? 'year'
          : first.precision === 'approx' || next.precision === 'approx' ? 'approx'
            : first.precision === 'dynasty' && next.precision === 'dynasty' ? 'dynasty' : 'era';
      qualifier = next.qualifier ?? qualifier;
      uncertain ||= next.uncertain;
      i = next.end;
      ranged = true;
    } else if (text[i] === '至') {
      // 至: a range, `清乾隆四十年至四十七年`, `道光二年至四年`, `清康熙至乾隆間`.
      const year = YEAR.exec(text.slice(i + 1));
      const to = year ? null : pointAt(text, i + 1, calendar, dynasty);
      if (year && first.era) {
        const n = numeral(year[1]!);
        if (n !== null && n >= 1 && first.era.from + n - 1 >= span!.from && n <= first.era.to - first.era.from + 1 + YEARS_PAST_ERA) {
          span = { from: span!.from, to: first.era.from + n - 1 };
          i += 1 + year[0].length;
          ranged = true;
        }
      } else if (to && to.span.to >= span!.from) {
        span = { from: span!.from, to: to.span.to };
        precision = precision === 'year' && to.precision === 'year' ? 'year' : 'era';
        qualifier = to.qualifier;
        i = to.end;
        ranged = true;
      }
    }
  }

  const wp = WESTERN_IN_PARENS.exec(text.slice(i));
  if (wp) {
    const year = Number(wp[1]);
    i += wp[0].length;
    if (ranged && span && precision === 'year' && year >= span.from && year <= YEAR_CEILING) {
      // The Western year of a range's second half closes it.
      if (span.to !== year) uncertain = true;
      span = { from: span.from, to: year };
    } else if (year >= YEAR_FLOOR && year <= YEAR_CEILING) {
      western = year;
      if (precision !== 'year' || !span || span.from !== year) {
        // The Western year the surveyor wrote wins over what the era table computes.
        if (span && precision === 'year' && span.from !== year) uncertain = true;
        if (span && precision !== 'year' && (year < span.from || year > span.to)) uncertain = true;
        span = { from: year, to: year };
        precision = 'year';
        qualifier = null;
      }
    } else {
      uncertain = true;
    }
  }

  // 間, and 閒 as older bibliographies write it (嘉靖閒).
  if (/^[間间閒闲]/.test(text.slice(i))) {
    i += 1;
    qualifier = '間';
  } else if (span && precision === 'year') {
    const about = ABOUT.exec(text.slice(i));
    if (about) {
      // 清康熙五十年前後: five years either side.
      span = { from: span.from - 5, to: span.to + 5 };
      precision = 'approx';
      qualifier = '前後';
      i += about[0].length;
    }
  }
  if (UNCERTAIN.test(text.slice(i))) {
    uncertain = true;
    i += 1;
  }
  const era = first?.era;
  const ganzhi = first?.ganzhi ?? (precision === 'year' && span && era ? ganzhiOf(span.from) : null);
  if (western !== null && first?.ganzhi && span && span.from === span.to && ganzhiOf(span.from) !== first.ganzhi) uncertain = true;
  const from = span ? Math.min(YEAR_CEILING, Math.max(YEAR_FLOOR, span.from)) : null;
  const to = span ? Math.min(YEAR_CEILING, Math.max(YEAR_FLOOR, span.to)) : null;
  return {
    date: {
      display: written.slice(0, i),
      dynasty,
      reignEra: era?.name ?? null,
      reignYear: first?.reignYear ?? null,
      ganzhi,
      gregorianFrom: from,
      gregorianTo: to,
      precision,
      uncertain,
      country: span || countryNamed ? calendar.country : null,
      qualifier,
    },
    end: i,
    ...(era ? { era } : {}),
  };
}
