/**
 * Hanyu Pinyin romanisation for the romanised fields of MARC records and MODS, as the ALA-LC
 * Romanization Tables (Chinese, 1997 pinyin guidelines, revised 2004) write it: no tone marks;
 * "separate the romanization of each Chinese character with a space"; personal names as
 * surname, then the given name's syllables joined (`Wang Maode`, inverted `Wang, Maode` in
 * access points), with an apostrophe before a joined syllable beginning with a, e or o; dynasty
 * and reign-era names joined and capitalised (`Ming Jiajing`); the first word capitalised.
 * Geographic names are not recognised in free text and stay syllable by syllable — the one
 * rule we cannot follow without a gazetteer. Readings are src/domain/pinyin-readings.ts's
 * (pinyin-pro's, corrected for classical readings), the same the catalogue's pinyin search uses.
 */
import { COMPOUND_SURNAMES } from '../domain/creator-statement.js';
import { readingsOf } from '../domain/pinyin-readings.js';

/** Punctuation as ISBD / LC romanised fields write it; an unreadable digit (□) stays visibly unknown. */
const PUNCTUATION: Readonly<Record<string, string>> = {
  '（': ' (', '）': ') ', '(': ' (', ')': ') ', '［': ' [', '］': '] ', '〔': ' [', '〕': '] ', '【': ' [', '】': '] ',
  '、': ', ', '，': ', ', '；': '; ', '：': ': ', '。': '. ', '　': ' ', '□': ' [?] ', '・': ' ', '·': ' ', '？': '? ', '?': '? ',
};

/** The first letter upper-case (ALA-LC: the first word of a title, proper names). */
export const capitalize = (s: string) => s.replace(/^([^\p{L}]*)(\p{Ll})/u, (_, before: string, c: string) => before + c.toUpperCase());

/** A romanised title: its first word capitalised, and the first after a leading qualifier (`[Wanli] Jin hua …`). */
export const capitalizeTitle = (s: string) => capitalize(s).replace(/^(\[[^\]]*\]\s*)(\p{Ll})/u, (_, q: string, c: string) => q + c.toUpperCase());

/** Syllables of Chinese text, one per Han character; other runs as they are. */
function syllables(text: string, surname = false): { text: string; han: boolean }[] {
  return readingsOf(text, { surname }).map((s) => ({ text: s.reading, han: s.han }));
}

/** Syllables joined into one word: Xi'an, not Xian (ALA-LC: apostrophe before a, e, o). */
const joined = (parts: string[]) => parts.map((p, i) => (i > 0 && /^[aeo]/.test(p) ? `'${p}` : p)).join('');

/** A name written as one word, capitalised: 嘉靖 → Jiajing. */
export function romanizeProperName(name: string): string {
  return capitalize(joined(syllables(name).map((s) => s.text)));
}

/** A person's surname and given name: 王懋德 → [Wang, Maode]; 歐陽修 → [Ouyang, Xiu]. */
export function personalNameParts(name: string): [surname: string, given: string] {
  const chars = [...name];
  if (!chars.every((c) => /\p{Script=Han}/u.test(c))) return [romanize(name), ''];
  const cut = chars.length > 2 && COMPOUND_SURNAMES.has(chars.slice(0, 2).join('')) ? 2 : 1;
  const read = syllables(name, true).map((s) => s.text);
  return [capitalize(joined(read.slice(0, cut))), capitalize(joined(read.slice(cut)))];
}

/** `Wang Maode` (in a statement of responsibility) */
export const romanizePerson = (name: string) => personalNameParts(name).filter(Boolean).join(' ');
/** `Wang, Maode` (in an access point: 100, 700). */
export const invertedPerson = (name: string) => personalNameParts(name).filter(Boolean).join(', ');

/**
 * Chinese text romanised syllable by syllable. `names` are proper names the text contains,
 * each with the romanised form to write for it (persons, dynasties, reign eras); the longest
 * is matched first. Capitalising the first word is the caller's (a title's yes, a $b's no).
 */
export function romanize(text: string, names: ReadonlyMap<string, string> = new Map()): string {
  const keys = [...names.keys()].filter(Boolean).sort((a, b) => b.length - a.length);
  const words: string[] = [];
  let run = '';
  const flush = () => {
    for (const s of syllables(run)) {
      if (s.han) words.push(s.text);
      else for (const ch of s.text) words.push(PUNCTUATION[ch] ?? ch);
    }
    run = '';
  };
  for (let i = 0; i < text.length; ) {
    const name = keys.find((k) => text.startsWith(k, i));
    if (name) {
      flush();
      words.push(` ${names.get(name)!} `);
      i += name.length;
    } else {
      run += text[i];
      i += 1;
    }
  }
  flush();
  // Han syllables are separated by one space; punctuation brought its own spacing; digits and
  // Latin letters written together stay together.
  let out = '';
  for (const w of words) {
    const glued = /^[\p{L}\p{N}]/u.test(w) && /[\p{L}\p{N}]$/u.test(out) && !(/^\p{N}/u.test(w) && /\p{N}$/u.test(out)) ? ' ' : '';
    out += glued + w;
  }
  return out.replace(/\s+/g, ' ').replace(/\s+([,;:.)\]?])/g, '$1').replace(/([([])\s+/g, '$1').trim();
}
