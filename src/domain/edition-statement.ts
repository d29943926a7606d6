/**
 * 版本: the edition statement — date + place/publisher + edition type, e.g.
 * `明嘉靖三十年（1551）芝城銅活字印本`. Kept as written; the type is folded through the
 * vocabulary (刊本 → 刻本, 鈔本 → 抄本, 聚珍版 → 活字本) and the date resolved through the
 * reign-era table.
 *
 * A statement may tell several events of the copy's life, each with its own date: carving and a
 * later repair (`宋刻元修本`, `宋刻宋元遞修本`), a later printing from old blocks (`明刻清印本`,
 * `清光緒十年（1884）刻十八年（1892）印本`), a reproduction of a named base edition
 * (`明翻宋某氏刊本`, `覆元本`, `影宋抄本`). The copy's date — the field year filters read — is the
 * date of the last event that made this copy; the base edition's date is kept beside it.
 * Bibliographies put the holder before the edition (`上海涵芬樓藏宋刊本`): it is kept apart.
 */
import { parseDateAt, type DateContext, type HistoricalDate } from './historical-date.js';
import { DYNASTY_NAMES, ERA_NAMES } from './reign-eras.js';
import type { Vocabulary } from './vocabulary.js';

export type EditionEventKind = 'carving' | 'writing' | 'printing' | 'repair' | 'reproduction';

export interface EditionEvent {
  kind: EditionEventKind;
  /** The act as written: 刻, 刊, 抄, 寫, 活字印, 修, 遞修, 印, 後印, 翻, 覆, 影鈔 … */
  act: string;
  date: HistoricalDate | null;
  /** Place and/or publisher written before the act, or null. */
  imprint: string | null;
}

/** The edition a reproduction copies: `宋某氏刊本` in `明翻宋某氏刊本`. */
export interface BaseEdition {
  /** As written, after the act of reproduction. */
  statement: string;
  date: HistoricalDate | null;
  imprint: string | null;
}

export interface EditionStructure {
  /** The canonical edition type (刻本, 抄本, 活字本 …) or null when none is recognised. */
  type: string | null;
  /** Finer marks found in the statement: 铜活字, 递修, 蓝印 … */
  subtypes: string[];
  /** Place and/or publisher of the first event, as written between its date and its act: 芝城, 揚州詩局. */
  imprint: string | null;
  /** The copy's date: that of the last event that made this copy (a later printing or repair). */
  date: HistoricalDate | null;
  /** The events the statement tells, in the order written. */
  events?: EditionEvent[];
  /** The holder a bibliography names before the edition (`上海涵芬樓` in `上海涵芬樓藏宋刊本`). */
  holder?: string | null;
  /** The edition reproduced (翻, 覆, 影, 景 …), when the statement names one. */
  base?: BaseEdition | null;
  /** The base edition's date: the edition reproduced, or the first carving of blocks printed or repaired later. */
  baseDate?: HistoricalDate | null;
  /** The country whose calendar dates the copy: 中國, 日本, 朝鮮, 越南. */
  country?: string | null;
}

const ONLY_PERIODS = new RegExp(`^(?:${[...ERA_NAMES, ...DYNASTY_NAMES].join('|')})+$`);

/**
 * The acts, longest first. Plain 印 is a later printing only after the blocks were made in the
 * same statement (刻…印); otherwise it is how the copy was made (活字印, 石印, 藍印). Characters
 * that also occur in publishers' names are guarded: 印書館, 西泠印社, 金陵刻經處, 修綆堂.
 */
const ACT =
  /(?<repair>遞修|递修|補修|补修|修補|修补|增修|重修|補刻|补刻|補版|补版|修(?![文綆]))|(?<print>後印|后印|重印|遞印|递印|補印|补印|刷印|印(?![書书刷社局行]))|(?<repro>重刊|重刻|[翻覆影景仿](?:刻|刊|刋|印|鈔|抄|钞|寫|写)?)|(?<carve>刻(?!經處|经处)|刊|刋|雕|鋟|锓|梓|槧|椠)|(?<write>寫|写|抄|鈔|钞|稿)/g;

/** Where a holder phrase ends: 藏, 舊藏, 合藏, 照存 — but not the 藏 of a canon (道藏本, 嘉興藏). */
const HOLDER = /(舊藏|旧藏|合藏|藏|蔵|照存)(?!\s*本)/g;
/** A holder is a collector or an institution: its name ends like one. */
const HOLDER_NAME = /(氏|樓|楼|館|馆|閣|阁|堂|齋|斋|園|园|室|庫|库|院|觀|观|盦|庵|菴|居|軒|轩|社|寮|局|寺|府|亭|廬|庐|屋|舍|處|处|天|山房|文庫)$/;

/**
 * 借照, 照存: reproduced from another's copy. The copy's holder is named after the mark, and the
 * bibliographies write the whole phrase as the holder (`中華學藝社借照東京內閣文庫藏宋刊本`), with
 * or without a 藏 to close it: `中華學藝社借照東京靜嘉堂文庫景宋鈔本`, `海鹽張氏涉園照存吳潘氏滂憙齋宋刊本`.
 */
const BORROWED = /借照|照存/g;
/** The longest holder's name looked for after 借照 (日本帝室圖書寮京都東福寺東京靜嘉堂文庫 is 18). */
const MAX_HOLDER_NAME = 40;

/** Whether an edition begins at `at`: a date (宋, 明嘉靖), a reproduction of one (景宋), or 刊本, 舊鈔本 … */
function editionAt(text: string, at: number): boolean {
  const rest = text.slice(at).replace(/^[景影翻覆仿]/, '');
  return (parseDateAt(rest)?.end ?? 0) > 0 || /^(?:舊|旧|精|手)?(?:刊|刻|刋|槧|椠|鈔|抄|钞|稿)本/.test(rest);
}

function splitHolder(text: string): { holder: string | null; body: string } {
  let end = -1;
  let bodyAt = 0;
  for (const m of text.matchAll(HOLDER)) {
    const before = text.slice(0, m.index).trim();
    // 舊藏, 合藏, 照存 mark a holder whatever its name; a bare 藏 only after a holder's name.
    if (before.length >= 2 && (!/^[藏蔵]$/.test(m[1]!) || HOLDER_NAME.test(before))) {
      end = m.index;
      bodyAt = m.index + m[0].length;
    }
  }
  // A 借照 or 照存 after the last 藏: the holder named after it ends where the edition begins.
  const borrowed = [...text.matchAll(BORROWED)].at(-1);
  if (borrowed && borrowed.index >= end) {
    const from = borrowed.index + borrowed[0].length;
    for (let at = from + 2; at <= Math.min(text.length - 1, from + MAX_HOLDER_NAME); at++) {
      if (HOLDER_NAME.test(text.slice(from, at)) && editionAt(text, at)) {
        end = bodyAt = at;
        break;
      }
    }
  }
  if (end === -1) return { holder: null, body: text };
  return { holder: text.slice(0, end).trim(), body: text.slice(bodyAt).trim() };
}

/**
 * `卷首至第二十九景烏程張氏適園藏述古堂景宋鈔本; 卷三十至第四十古里瞿氏鐵琴銅劍樓藏宋刊本`: a copy
 * made up of parts of different editions, each part its own statement after the 卷 it covers (景
 * there is the photographic reprint of the part). As with 配 (`宋刊配元鈔本`), the copy is the part
 * written first; the parts after it are not events of that copy and stay in the statement as written.
 */
const PART_RANGE = /^卷(?:首|[一二三四五六七八九十百千〇零\d]+)至(?:第|卷)?[一二三四五六七八九十百千〇零\d]+卷?/;

function firstPart(text: string): string {
  const parts = text.split(/[;；]/);
  const range = parts.length > 1 ? PART_RANGE.exec(parts[0]!) : null;
  if (!range) return text;
  const part = parts[0]!.slice(range[0].length).trim();
  // 景 before a holder (景烏程張氏適園藏…) is the reprint of the part; before a dynasty (景宋鈔本) it is the part's own act.
  return /^[景影]/.test(part) && splitHolder(part.slice(1)).holder ? part.slice(1) : part;
}

const TECHNIQUE = /(?:銅活字|铜活字|木活字|泥活字|活字|聚珍版|聚珍|朱墨|套|石|鉛|铅|排|藍|蓝|紅|红|朱|手|精|舊|旧)+$/;
/** Before 刻 or 刊 only: 原刊, 新刊, 初刻, 重刻, 校刊 (汪閬原覆宋本 is a man's name). */
const CARVING_QUALIFIER = /(?:原|新|初|重|校)+$/;
const startsWithDynasty = (text: string, at: number) => DYNASTY_NAMES.some((d) => text.startsWith(d, at));
const clean = (s: string) => s.replace(/^[\s，,、；;]+|[\s，,、；;]+$/g, '');

/** The part of a 遞修 range that made the copy: the last dynasty of `宋元`. */
function lastPeriod(date: HistoricalDate): HistoricalDate {
  if (date.precision === 'year' || date.display.length < 2) return date;
  for (let at = date.display.length - 1; at > 0; at--) {
    const tail = parseDateAt(date.display.slice(at));
    if (tail && tail.end === date.display.length - at && tail.date.gregorianFrom !== null && tail.date.gregorianFrom > (date.gregorianFrom ?? -Infinity)) {
      return tail.date;
    }
  }
  return date;
}

function imprintOf(segment: string, vocabulary: Vocabulary, carving = false): string | null {
  const type = vocabulary.editionType(segment);
  const markers = vocabulary.editionMarkers(segment);
  const end = Math.min(type?.index ?? segment.length, ...markers.map((m) => m.index));
  // 朱墨套印, 手稿, 石印: the technique written before the act is not part of the imprint.
  let imprint = clean(segment.slice(0, end)).replace(TECHNIQUE, '');
  if (carving) imprint = imprint.replace(CARVING_QUALIFIER, '');
  // `刻嘉靖遞修本`, `刻元明遞修本`: dynasties and eras of later printings are not an imprint.
  return imprint && !ONLY_PERIODS.test(imprint) ? imprint : null;
}

const contextOf = (parsed: ReturnType<typeof parseDateAt>, previous: DateContext): DateContext =>
  parsed
    ? { dynasty: parsed.date.dynasty ?? previous.dynasty, ...(parsed.era ? { era: parsed.era } : {}), country: parsed.date.country ?? previous.country ?? null }
    : previous;

/** At most this many events are read from one statement: real ones tell three or four. */
const MAX_EVENTS = 8;

function parseEvents(body: string, vocabulary: Vocabulary, undatedStart = false): { events: EditionEvent[]; base: BaseEdition | null } {
  const events: EditionEvent[] = [];
  let base: BaseEdition | null = null;
  let context: DateContext = { dynasty: null };
  let pos = 0;
  while (pos < body.length && events.length < MAX_EVENTS) {
    // 宋刊配元鈔本: parts made up from another copy are not events of this one; nor are the
    // notes after the 本 that closes the statement (清刻本（卷一抄配）, 明刻本（清修補）).
    if (body.startsWith('配', pos) || (events.length > 0 && body.startsWith('本', pos))) break;
    // 景元鈔本, 景明鈔本: 景 before a dynasty is a facsimile of that dynasty's edition, not the era 景元.
    const facsimile = /^[景影]/.test(body.slice(pos)) && startsWithDynasty(body, pos + 1);
    const parsed = facsimile || (undatedStart && pos === 0) ? null : parseDateAt(body.slice(pos), context);
    const date = parsed && parsed.end > 0 ? parsed.date : null;
    if (parsed && parsed.end > 0) {
      pos += parsed.end;
      context = contextOf(parsed, context);
    }
    ACT.lastIndex = pos;
    let m: RegExpExecArray | null;
    let found: { m: RegExpExecArray; kind: EditionEventKind; act: string; end: number; base?: BaseEdition } | null = null;
    while (!found && (m = ACT.exec(body))) {
      const g = m.groups!;
      const made = events.some((e) => e.kind !== 'repair');
      const after = m.index + m[0].length;
      if (g['repro']) {
        const token = g['repro'];
        const baseDate = parseDateAt(body.slice(after));
        if (!baseDate || baseDate.end === 0) {
          const close = body.indexOf('本', after);
          if (token.length > 1 || body[after] === '本') {
            // 影印本, 景印, 覆刻本, 重刻本: a way of making the copy with no base edition named.
            const kind: EditionEventKind = /印/.test(token) ? 'printing' : /[鈔抄钞寫写]/.test(token) ? 'writing' : /^重/.test(token) ? 'carving' : 'reproduction';
            found = { m, kind, act: token, end: after };
          } else if (/[翻覆仿]/.test(token) && close > after) {
            // 明覆錫山華氏蘭雪堂活字印本: the base edition is named by its maker alone.
            const statement = body.slice(after, close + 1);
            found = { m, kind: 'reproduction', act: token, end: close + 1, base: { statement, date: null, imprint: imprintOf(statement, vocabulary) } };
          }
          continue;
        }
        const baseStart = after;
        const baseAfterDate = after + baseDate.end;
        const close = body.indexOf('本', baseAfterDate);
        const baseEnd = close === -1 ? body.length : close + 1;
        let act = token;
        let statement = body.slice(baseStart, baseEnd);
        // 影宋抄本, 景宋鈔本: the copy is a hand copy of the 宋 edition; 抄 is the copy's act.
        const copyAct = token.length === 1 ? /^(精鈔|精抄|舊鈔|舊抄|鈔|抄|钞|寫|写)/.exec(body.slice(baseAfterDate)) : null;
        if (copyAct) {
          act = token + copyAct[0];
          statement = body.slice(baseStart, baseAfterDate);
        }
        const baseRest = body.slice(baseAfterDate, copyAct ? baseAfterDate : baseEnd);
        found = {
          m, kind: 'reproduction', act, end: baseEnd,
          base: { statement, date: baseDate.date, imprint: copyAct ? null : imprintOf(baseRest.replace(/(刊本|刻本|刋本|鈔本|抄本|本)$/, ''), vocabulary) },
        };
      } else if (g['print']) {
        const plain = /^(印|刷印)$/.test(g['print']);
        found = { m, kind: 'printing', act: g['print'], end: after };
        if (plain && !made) {
          // 銅活字印, 石印, 藍印: the technique written before 印 is part of the act.
          const technique = /(銅活字|铜活字|木活字|泥活字|活字|聚珍版|聚珍|石|鉛|铅|排|套|朱墨|藍|蓝|紅|红|朱|墨|刷)$/.exec(body.slice(pos, m.index));
          if (technique) found.act = technique[0] + g['print'];
        }
      } else if (g['repair']) {
        found = { m, kind: 'repair', act: g['repair'], end: after };
      } else if (g['carve']) {
        found = { m, kind: 'carving', act: g['carve'], end: after };
      } else if (g['write']) {
        found = { m, kind: 'writing', act: g['write'], end: after };
      }
    }
    if (!found) break;
    const segment = body.slice(pos, found.m.index);
    const event: EditionEvent = { kind: found.kind, act: found.act, date, imprint: imprintOf(segment, vocabulary, found.kind === 'carving') };
    if (found.act.length > 1 && segment.endsWith(found.act.slice(0, -1))) event.imprint = imprintOf(segment.slice(0, -(found.act.length - 1)), vocabulary);
    events.push(event);
    if (found.base) base ??= found.base;
    pos = found.end;
  }
  return { events, base };
}

/** The type a statement implies by its act when it names none: 寫四庫全書本 → 写本, 覆元本 → 刻本. */
function impliedType(event: EditionEvent | undefined): string | null {
  if (!event) return null;
  // 覆印 (日本覆印宋本) says a reprint, not how it was made.
  if (event.kind === 'reproduction' && /印/.test(event.act)) return null;
  if (event.kind === 'carving' || event.kind === 'reproduction') return /[鈔抄钞]/.test(event.act) ? '影抄本' : '刻本';
  if (event.kind === 'writing') return /[鈔抄钞]/.test(event.act) ? '抄本' : /稿/.test(event.act) ? '稿本' : '写本';
  return null;
}

/**
 * The most of a statement the parser reads. Real edition statements run to a few dozen
 * characters (the longest bibliography forms to about 60); reading a pasted page in full would
 * cost time in proportion to its square. The statement itself is kept whole, as written.
 */
export const MAX_STATEMENT_READ = 500;

/**
 * Named hand copies (`侯官林佶手鈔本`, `明錢叔寶手鈔本`) are the work of persons the bibliographies
 * know, none of them before 宋: a dynasty that ended before 宋, standing before a name and 手鈔,
 * is that person's surname — 吳枚菴 is 吳翌鳳, not a copy of the 三國 吳.
 */
// 唐人手寫本 names no one: 人 is not a name.
const NAMED_HAND = /^(?!人)[^\s]{1,3}手(?:鈔|抄|钞|寫|写|錄|录|稿)/;
function surnameNotDynasty(body: string, leading: ReturnType<typeof parseDateAt>): boolean {
  const d = leading?.date;
  return !!d && d.precision === 'dynasty' && d.reignEra === null && d.gregorianTo !== null && d.gregorianTo < 960 && NAMED_HAND.test(body.slice(leading!.end));
}

export function parseEditionStatement(statement: string, vocabulary: Vocabulary): EditionStructure {
  const { holder, body } = splitHolder(firstPart(statement.trim().slice(0, MAX_STATEMENT_READ)));
  let leading = parseDateAt(body);
  const surname = surnameNotDynasty(body, leading);
  if (surname) leading = null;
  // 宋刊配元鈔本: the type is that of the copy, not of the parts made up from another.
  const madeUp = body.indexOf('配', leading?.end ?? 0);
  const afterDate = body.slice(leading?.end ?? 0, madeUp === -1 ? undefined : madeUp);

  const typeMatch = vocabulary.editionType(afterDate);
  const markers = vocabulary.editionMarkers(afterDate);
  const implied = markers.find((m) => m.implies)?.implies;
  let type = typeMatch && !(typeMatch.weak && implied) ? typeMatch.term : (implied ?? typeMatch?.term ?? null);

  const { events, base } = parseEvents(body, vocabulary, surname);
  // 景鈔元刊本, 景宋精鈔本: a hand copy made in facsimile of an edition is an 影抄本, whatever the base.
  if (events.some((e) => e.kind === 'reproduction' && /^[影景].*[鈔抄钞]/.test(e.act))) type = '影抄本';
  type ??= impliedType(events.find((e) => e.kind !== 'repair' && e.kind !== 'printing') ?? events[0]);

  // The copy's date: the last dated event that made it (a later printing, the last repair).
  const dated = events.filter((e) => e.date);
  const last = dated[dated.length - 1];
  const copyDate = last ? (last.kind === 'repair' ? lastPeriod(last.date!) : last.date) : (leading?.date ?? null);
  const firstEventDate = dated[0]?.date ?? null;
  const baseDate = base?.date ?? (dated.length > 1 && firstEventDate !== copyDate ? firstEventDate : null);

  return {
    type,
    subtypes: markers.map((m) => m.term),
    // With no act written (明如隱堂本), the imprint is what stands before 本.
    imprint: events.length > 0 ? events[0]!.imprint : (imprintOf(afterDate, vocabulary)?.replace(/本$/, '') || null),
    date: copyDate,
    events,
    holder,
    base,
    baseDate,
    country: copyDate?.country ?? leading?.date.country ?? null,
  };
}
