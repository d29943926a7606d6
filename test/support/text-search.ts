/** Typed text for the text-search tests: a page of book1's transcription as columns, right to left. */
import { transcription } from './texts.js';

/** Each line of the page's transcription a column, from the right edge of the leaf. */
export const typedColumns = (n: number) => transcription(n).split('\n').filter(Boolean).map((text, i) => ({ box: [1080 - i * 70, 80, 60, 1400], text }));
