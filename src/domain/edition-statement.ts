/**
 * 版本: the edition statement — date + place/publisher + edition type, e.g.
 * `明嘉靖三十年（1551）芝城銅活字印本`. Kept as written; the type is folded through the
 * vocabulary (刊本 → 刻本, 鈔本 → 抄本, 聚珍版 → 活字本) and the date resolved through the
 * reign-era table.
 */
import { parseDateAt, type HistoricalDate } from './historical-date.js';
import { DYNASTY_NAMES, ERA_NAMES } from './reign-eras.js';
import type { Vocabulary } from './vocabulary.js';

export interface EditionStructure {
  /** The canonical edition type (刻本, 抄本, 活字本 …) or null when none is recognised. */
  type: string | null;
  /** Finer marks found in the statement: 铜活字, 递修, 蓝印 … */
  subtypes: string[];
  /** Place and/or publisher as written between the date and the type: 芝城, 揚州詩局. */
  imprint: string | null;
  date: HistoricalDate | null;
}

const ONLY_PERIODS = new RegExp(`^(?:${[...ERA_NAMES, ...DYNASTY_NAMES].join('|')})+$`);

export function parseEditionStatement(statement: string, vocabulary: Vocabulary): EditionStructure {
  const text = statement.trim();
  const parsed = parseDateAt(text);
  const dateEnd = parsed?.end ?? 0;
  const afterDate = text.slice(dateEnd);

  const typeMatch = vocabulary.editionType(afterDate);
  const markers = vocabulary.editionMarkers(afterDate);
  const implied = markers.find((m) => m.implies)?.implies;
  const type = typeMatch && !(typeMatch.weak && implied) ? typeMatch.term : (implied ?? typeMatch?.term ?? null);

  const imprintEnd = Math.min(typeMatch?.index ?? afterDate.length, ...markers.map((m) => m.index));
  const imprint = afterDate
    .slice(0, imprintEnd)
    .replace(/^[\s，,]+|[\s，,]+$/g, '')
    .replace(/^[刻刊印]+|[刻刊印]+$/g, '');

  return {
    type,
    subtypes: markers.map((m) => m.term),
    // `刻嘉靖遞修本`, `刻元明遞修本`: dynasties and eras of later printings are not an imprint.
    imprint: imprint && !ONLY_PERIODS.test(imprint) ? imprint : null,
    date: parsed?.date ?? null,
  };
}
