/**
 * A record's scanned pages as the catalogue knows them: what the master is (its facts, read once
 * at ingest) and where it stands in the book (册, 卷, leaf, table-of-contents entries).
 */

/** What the scan pipeline reads from a master's header. */
export interface ImageFacts {
  format: string;
  width: number;
  height: number;
  bitDepth: number;
  colorSpace: string;
  /** True when the master carried an ICC profile (converted to sRGB once, for the derivatives). */
  iccProfile: boolean;
}

/** A table-of-contents entry: its depth (1 outermost), its title as written and whose work it is. */
export interface Heading {
  level: number;
  title: string;
  author: string | null;
}

/** How a viewer may lay out one page apart from the book (IIIF Presentation 3.0 §3.4.1, canvas behaviours). */
export const PAGE_BEHAVIORS = ['non-paged', 'facing-pages'] as const;
export type PageBehavior = (typeof PAGE_BEHAVIORS)[number];

/** One scanned page (a leaf or half-leaf) of a record: the master's identity and what it is. */
export interface Page extends ImageFacts {
  censusNumber: string;
  /** The master's SHA-256 in hex: the image's IIIF identifier and the name of its files. */
  imageId: string;
  /** Place in the book, from 1, right to left as the book is read. */
  sequence: number;
  /** 册, 卷 and leaf label (葉三a) when the batch said them. */
  volume: string | null;
  juan: string | null;
  label: string | null;
  /**
   * Table-of-contents entries that begin on this page (the NLC template's 目次: level 1 a 卷 or
   * part, level 2 a 篇 within it …), outermost first. Absent when the contents are not given:
   * the 卷 of each page then make the table of contents.
   */
  headings?: Heading[];
  /**
   * How a viewer lays this page out when not as the book's behaviour says (IIIF Presentation
   * 3.0 §3.4.1, canvas behaviours): `non-paged` leaves it out of the page turning (a fold-out
   * map, a colour chart), `facing-pages` shows it whole as one opening (a spread scanned as one
   * image). Set in the structure (PUT …/structure).
   */
  behavior?: PageBehavior;
  /** The page a viewer opens the book at (the manifest's `start`), when not the first. */
  start?: true;
  /** The file name as uploaded or found, decoded as UTF-8. */
  filename: string;
  bytes: number;
  ingestedAt: string;
  ingestedBy: string;
}
