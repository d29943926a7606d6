/** Typed text for the text-search tests: a page of book1's transcription as columns, right to left. */
import { transcription } from './texts.js';

/** Each line of the page's transcription a column, from the right edge of the leaf. */
export const typedColumns = (n: number) => transcription(n).split('\n').filter(Boolean).map((text, i) => ({ box: [1080 - i * 70, 80, 60, 1400], text }));

/**
 * Leaf 2 of book1 (2.png, also the demo book's second half-leaf) as it is printed: each line of
 * its transcription in its column between the ruled lines, its characters spread evenly down
 * the frame. Measured on the scan by the darkness of each pixel column from y 150 to 1400: rules
 * at x ≈ 145 (the frame's left edge), 258, 362, 465, 567, 671, 775, 878 and 980 (its right edge):
 * eight columns for eight lines; the frame's top and bottom rules at y 148 and 1403. A search's highlights
 * then fall on the printed characters, as the viewers' screenshots show.
 */
const LEAF2_RULES = [145, 258, 362, 465, 567, 671, 775, 878, 980];
export const printedColumnsOfLeaf2 = () => transcription(2).split('\n').filter(Boolean).map((text, i) => {
  const [left, right] = [LEAF2_RULES[LEAF2_RULES.length - 2 - i]!, LEAF2_RULES[LEAF2_RULES.length - 1 - i]!];
  return { box: [left + 6, 148, right - left - 12, 1403 - 148], text };
});
