/**
 * The readings of Chinese text in Hanyu Pinyin without tones, one place for both users: the
 * romanised fields of MARC and MODS (src/exports/romanize.ts) and the pinyin search of the
 * catalogue (src/domain/search-pinyin.ts). Readings are pinyin-pro's, which reads traditional
 * characters and picks a polyphone's reading from the words around it (its word segmentation),
 * corrected here where it reads by modern usage and the classical reading differs.
 */
import { OutputFormat, polyphonic, segment } from 'pinyin-pro';
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
  .map(([word, reading]) => ({ chars: [...fold(word)], syllables: reading.split(' ') }))
  .sort((a, b) => b.chars.length - a.chars.length);

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

/** Each character's readings as pinyin-pro lists them, remembered: a catalogue uses a few thousand characters. */
const CHARACTER_READINGS = new Map<string, string[]>();
function readingsOfCharacter(c: string): string[] {
  let found = CHARACTER_READINGS.get(c);
  if (!found) {
    found = polyphonic(c, { toneType: 'none', type: 'array' })[0] ?? [];
    CHARACTER_READINGS.set(c, found);
  }
  return found;
}

/** The readings the table of classical words gives, by the index of the character (in code points). */
function classicalReadings(text: string): Map<number, string> {
  const chars = [...fold(text)];
  const found = new Map<number, string>();
  for (let i = 0; i < chars.length; i++) {
    const word = FOLDED_WORDS.find((w) => w.chars.every((c, k) => chars[i + k] === c));
    if (!word) continue;
    word.syllables.forEach((syllable, k) => found.set(i + k, syllable));
    i += word.chars.length - 1;
  }
  return found;
}

/**
 * The readings of a text, a Han character at a time and runs of other characters whole.
 * `surname`: the text is a person's name, read with surname readings at its head (曾鞏 Zeng
 * Gong). `others`: list the other readings of the characters no word decides.
 */
export function readingsOf(text: string, options: { surname?: boolean; others?: boolean } = {}): Reading[] {
  if (!text) return [];
  const classical = classicalReadings(text);
  const out: Reading[] = [];
  let index = 0;
  for (const word of segment(text, { toneType: 'none', format: OutputFormat.AllArray, ...(options.surname ? { surname: 'head' as const } : {}) })) {
    for (const { origin, result } of word) {
      const here = index;
      index += [...origin].length;
      // pinyin-pro gives what it cannot read (punctuation, Latin, a rare character) back as it is.
      if (result === origin) {
        const last = out[out.length - 1];
        if (last && !last.han) last.origin = last.reading = last.origin + origin;
        else out.push({ origin, han: false, reading: origin, others: [] });
        continue;
      }
      const fixed = READINGS[origin] ?? classical.get(here);
      const reading = fixed ?? result;
      // A character in a word of two or more is read as the word reads it.
      const others = !options.others || READINGS[origin] ? [] : fixed ? [result] : word.length > 1 ? [] : readingsOfCharacter(origin);
      out.push({ origin, han: true, reading, others: [...new Set(others)].filter((r) => r !== reading) });
    }
  }
  return out;
}
