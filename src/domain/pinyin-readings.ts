/**
 * The readings of Chinese text in Hanyu Pinyin without tones, one place for both users: the
 * romanised fields of MARC and MODS (src/exports/romanize.ts) and the pinyin search of the
 * catalogue (src/domain/search-pinyin.ts). Readings are pinyin-pro's, which reads traditional
 * characters and picks a polyphone's reading from the words around it (its word segmentation),
 * corrected here where it reads by modern usage and the classical reading differs.
 */
import { OutputFormat, pinyin, segment } from 'pinyin-pro';
import { fold } from './text-fold.js';

/** Characters pinyin-pro reads by modern usage where the classical reading differs. */
const READINGS: Readonly<Record<string, string>> = { 尅: 'ke' };

/**
 * Classical words pinyin-pro reads by their modern sense: 傳 is zhuan as a commentary or a
 * biography (春秋左傳 Chunqiu Zuo zhuan, ALA-LC), not chuan; 會稽 is Kuaiji. Written as the
 * catalogue writes them; matched folded, so the simplified forms (左传) read the same.
 */
const WORDS: Readonly<Record<string, string>> = {
  左傳: 'zuo zhuan', 易傳: 'yi zhuan', 經傳: 'jing zhuan', 列傳: 'lie zhuan', 傳記: 'zhuan ji', 會稽: 'kuai ji',
  伽藍: 'qie lan', 龜茲: 'qiu ci', 單于: 'chan yu', 月氏: 'yue zhi', 大宛: 'da yuan', 樂府: 'yue fu', 吐谷渾: 'tu yu hun',
};
const FOLDED_WORDS = Object.entries(WORDS)
  .map(([word, reading]) => ({ word: fold(word), syllables: reading.split(' ') }))
  .sort((a, b) => b.word.length - a.word.length);

export interface Reading {
  /** The text read: one Han character, or a run of other characters as written. */
  origin: string;
  han: boolean;
  /** The reading without tones (ü kept); the text itself when not Han. */
  reading: string;
  /**
   * The character's other readings when no word around it decides (it stands alone in
   * pinyin-pro's segmentation): 長 in 長安志 is chang or zhang. Where the table of classical
   * words decides, pinyin-pro's modern reading, which a searcher may type as well (易傳 yi chuan).
   */
  others: string[];
}

/** A toned syllable without its tone marks; the diaeresis of ü stays (lǚ → lü). */
const toneless = (s: string) => s.normalize('NFD').replace(/[\u0300-\u0307\u0309-\u036f]/gu, '').normalize('NFC');

/**
 * The readings of a text, a Han character at a time and other runs whole. `surname`: the text
 * is a person's name, read with surname readings at its head (曾鞏 Zeng Gong). `others`: find
 * the undecided characters' other readings (a second pass through pinyin-pro's segmentation).
 */
export function readingsOf(text: string, options: { surname?: boolean; others?: boolean } = {}): Reading[] {
  if (!text) return [];
  const surname = options.surname ? { surname: 'head' as const } : {};
  // UTF-16 offsets of the characters a word decides.
  const decided = new Map<number, string | null>();
  const folded = fold(text);
  for (let i = 0; i < folded.length; i++) {
    const word = FOLDED_WORDS.find((w) => folded.startsWith(w.word, i));
    if (!word) continue;
    let at = i;
    for (const [k, ch] of [...word.word].entries()) {
      decided.set(at, word.syllables[k] ?? null);
      at += ch.length;
    }
    i = at - 1;
  }
  if (options.others) {
    let at = 0;
    for (const word of segment(text, { toneType: 'none', format: OutputFormat.AllSegment, ...surname })) {
      if ([...word.origin].length > 1) for (let k = 0; k < word.origin.length; k++) if (!decided.has(at + k)) decided.set(at + k, null);
      at += word.origin.length;
    }
  }
  let at = 0;
  return pinyin(text, { toneType: 'none', type: 'all', nonZh: 'consecutive', ...surname }).map((s) => {
    const here = at;
    at += s.origin.length;
    if (!s.isZh) return { origin: s.origin, han: false, reading: s.origin, others: [] };
    const fixed = READINGS[s.origin] ?? decided.get(here) ?? null;
    const reading = fixed ?? s.pinyin;
    const candidates = !options.others || READINGS[s.origin] ? [] : fixed !== null ? [s.pinyin] : decided.has(here) ? [] : s.polyphonic.map(toneless);
    const others = [...new Set(candidates)].filter((r) => r !== reading);
    return { origin: s.origin, han: true, reading, others };
  });
}
