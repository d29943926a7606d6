/**
 * Pinyin search for people without a Chinese input method (issue 20): `zizhi tongjian`,
 * `zizhitongjian` or `zztj` find 資治通鑑. At index time the fields researchers would type —
 * titles, the names of persons — are read (src/domain/pinyin-readings.ts) into tokens of
 * lower-case letters; a query of Latin letters is cut to one key and matched as a prefix of a
 * token, so that typing is progressive. Every engine stores the same tokens and the same key.
 *
 * Tokens of a run of Han characters read `zi zhi tong jian`:
 *  - its syllables joined from each syllable on (zizhitongjian, zhitongjian, tongjian, jian), so
 *    a query may begin at any syllable (`tongjian` finds 資治通鑑 as 通鑑 does);
 *  - its initials from the first (zztj) — from every syllable they would match almost anything.
 * A polyphone that no word around it decides (長 in 長安志: chang or zhang) is read each way,
 * one character differing from the first reading at a time, at most PINYIN_LIMITS.variants
 * readings of a value; ü is written both as v (as input methods take it) and as u.
 */
import { readingsOf } from './pinyin-readings.js';

/** Bounds on what one record costs the index. */
export const PINYIN_LIMITS = {
  /** Characters read of each value (a title proper, a name): a 子目 list may be long. */
  chars: 24,
  /** Readings of one value, the first included. */
  variants: 4,
  /** Values read of each field (titles, persons). */
  values: 16,
} as const;

/** What the index stores for the pinyin of a record: tokens separated by spaces, by ranking tier. */
export interface PinyinTokens {
  /** The title proper read whole, and its initials: a key equal to one is the title itself. */
  start: string;
  /** Every title: the title proper, the series, the 子目, the work. */
  title: string;
  /** The names of the persons. */
  persons: string;
}

const spellings = (syllable: string) => (syllable.includes('ü') ? [syllable.replace(/ü/g, 'v'), syllable.replace(/ü/g, 'u')] : [syllable]);

/** The readings of each run of Han characters in the first PINYIN_LIMITS.chars of a value, each a list of syllables. */
function readingsOfRuns(value: string, surname: boolean): string[][][] {
  const text = [...value].slice(0, PINYIN_LIMITS.chars).join('');
  const runs: string[][][] = [];
  let choices: string[][] = [];
  const flush = () => {
    if (choices.length === 0) return;
    const first = choices.map((c) => c[0]!);
    const variants = [first];
    for (let i = 0; i < choices.length && variants.length < PINYIN_LIMITS.variants; i++) {
      for (const other of choices[i]!.slice(1)) {
        if (variants.length >= PINYIN_LIMITS.variants) break;
        variants.push(first.map((s, k) => (k === i ? other : s)));
      }
    }
    runs.push(variants);
    choices = [];
  };
  for (const r of readingsOf(text, { surname, others: true })) {
    // A reading of letters only: pinyin-pro leaves a character it cannot read as itself.
    if (r.han && /^[a-zü]+$/u.test(r.reading)) choices.push([...new Set([r.reading, ...r.others].filter((s) => /^[a-zü]+$/u.test(s)).flatMap(spellings))]);
    else flush();
  }
  flush();
  return runs;
}

/** The tokens of the values of one field, each read into runs: every reading from each syllable on, and the initials. */
function fieldTokens(values: readonly string[][][][]): string {
  const tokens = new Set<string>();
  for (const runs of values.slice(0, PINYIN_LIMITS.values)) {
    for (const variants of runs) {
      for (const syllables of variants) {
        for (let i = 0; i < syllables.length; i++) tokens.add(syllables.slice(i).join(''));
        tokens.add(syllables.map((s) => s[0]).join(''));
      }
    }
  }
  return [...tokens].join(' ');
}

/** The pinyin tokens of a record's title proper, other titles and persons' names. */
export function pinyinTokensOf(titleProper: string, titles: readonly string[], persons: readonly string[]): PinyinTokens {
  const proper = readingsOfRuns(titleProper, false);
  const start = new Set<string>();
  for (const syllables of proper[0] ?? []) {
    start.add(syllables.join(''));
    start.add(syllables.map((s) => s[0]).join(''));
  }
  const read = (values: readonly string[], surname: boolean) => values.slice(0, PINYIN_LIMITS.values).map((v) => readingsOfRuns(v, surname));
  return {
    start: [...start].join(' '),
    title: fieldTokens([proper, ...read(titles, false)]),
    persons: fieldTokens(read(persons, true)),
  };
}

/**
 * The key a query is matched by as pinyin: its letters in lower case, spaces and apostrophes
 * dropped (`Zizhi tongjian`, `xi'an`); ü typed as v. Null for anything else — figures (a
 * census or call number), Han characters, punctuation — and for a single letter, which is too
 * little to read.
 */
export function pinyinKey(query: string): string | null {
  // NFKC: full-width letters, as a Chinese keyboard in full-width mode types them.
  const text = query.normalize('NFKC').toLowerCase().replace(/ü/g, 'v');
  if (!/^[a-z'’\s]+$/u.test(text)) return null;
  const key = text.replace(/['’\s]/gu, '');
  return key.length >= 2 ? key : null;
}
