/**
 * Exhibitions (展览): a curator's story told with books, leaves and regions of leaves, from this
 * catalogue or from any IIIF manifest. Pure: the schema of what a client sends, and the shape
 * kept once every item has been checked and resolved (src/services/exhibit-service.ts).
 */
import { z } from 'zod';

export const EXHIBIT_STATUSES = ['draft', 'submitted', 'returned', 'published'] as const;
export type ExhibitStatus = (typeof EXHIBIT_STATUSES)[number];

export const EXHIBIT_LIMITS = { sections: 50, itemsPerSection: 100, items: 200 } as const;

/**
 * The licences an exhibit may carry: Creative Commons 4.0 licences and the public-domain tools,
 * as their canonical URIs with the trailing slash. Kept in the http form that IIIF's `rights`
 * takes (Presentation 3.0 §3.3.2 examples, and the official validator's pattern
 * `http://creativecommons.org/licenses/.*`); the https form CC shows today is accepted and
 * stored as http.
 */
export const EXHIBIT_LICENCES = [
  ...['by', 'by-sa', 'by-nd', 'by-nc', 'by-nc-sa', 'by-nc-nd'].map((l) => `http://creativecommons.org/licenses/${l}/4.0/`),
  'http://creativecommons.org/publicdomain/zero/1.0/',
  'http://creativecommons.org/publicdomain/mark/1.0/',
] as const;

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const line = (max: number) => text(max).min(1, 'must not be blank');

/** `x,y,w,h` in whole pixels of the leaf (the IIIF Image API's region, Media Fragments' xywh). */
export const XYWH = /^(\d{1,6}),(\d{1,6}),([1-9]\d{0,5}),([1-9]\d{0,5})$/;

export const ExhibitItemInputSchema = z
  .object({
    /** A book of this catalogue... */
    censusNumber: z.string().max(40).optional(),
    /** ...or any IIIF Presentation manifest (2.x or 3.0). */
    manifest: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(2000).optional(),
    /** The leaf: its place in the book (1, 2, …), or for another manifest the canvas id. Absent: the whole book. */
    canvas: z.union([z.number().int().min(1).max(100_000), z.url({ protocol: /^https?$/ }).max(2000)]).optional(),
    /** A region of the leaf, `x,y,w,h` in its pixels. */
    xywh: z.string().regex(XYWH, 'must be x,y,w,h in whole pixels, width and height above 0').optional(),
    caption: text(4000).default(''),
    credit: text(1000).default(''),
  })
  .strict()
  .superRefine((item, ctx) => {
    if (!item.censusNumber === !item.manifest) ctx.addIssue({ code: 'custom', path: ['censusNumber'], message: 'name either a census number or a manifest URL' });
    if (item.xywh && item.canvas === undefined) ctx.addIssue({ code: 'custom', path: ['canvas'], message: 'is required with a region (xywh)' });
  });

export const ExhibitInputSchema = z
  .object({
    slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case letters and digits joined by hyphens').max(80),
    title: line(200),
    summary: text(4000).default(''),
    credits: text(4000).default(''),
    licence: z.string().max(200).transform((uri) => uri.replace(/^https:/, 'http:')).pipe(z.enum(EXHIBIT_LICENCES, { message: `must be one of ${EXHIBIT_LICENCES.join(', ')}` })),
    /** The item shown as the exhibit's cover, by place: section and item, from 0. Default: the first item. */
    cover: z.object({ section: z.number().int().min(0), item: z.number().int().min(0) }).strict().optional(),
    sections: z
      .array(z.object({ title: text(200).default(''), text: text(8000).default(''), items: z.array(ExhibitItemInputSchema).max(EXHIBIT_LIMITS.itemsPerSection) }).strict())
      .min(1, 'an exhibit has at least one section')
      .max(EXHIBIT_LIMITS.sections),
  })
  .strict();
export type ExhibitInput = z.infer<typeof ExhibitInputSchema>;
export type ExhibitItemInput = z.infer<typeof ExhibitItemInputSchema>;

/** What an item shows, as checked when it was saved: enough to draw it and to build the exhibit manifest. */
export interface ResolvedItem {
  /** The manifest holding it, and the book's label. */
  manifest: string;
  label: string;
  /** Homepage of a catalogue record, when the item is one. */
  homepage: string | null;
  /** The leaf shown (a whole book shows its first): its canvas id, label and size. */
  canvas: string;
  canvasLabel: string;
  width: number;
  height: number;
  /** Its IIIF Image API service, or null when the manifest gives only a static image (`image`). */
  service: { id: string; type: 'ImageService2' | 'ImageService3'; profile: string } | null;
  image: string;
  /** The region, or null for the whole leaf. */
  region: [number, number, number, number] | null;
  /** Whether the item is the whole book (shown by its first leaf). */
  whole: boolean;
}

export type ExhibitItem = ExhibitItemInput & { resolved: ResolvedItem };

export interface Exhibit {
  slug: string;
  title: string;
  summary: string;
  credits: string;
  licence: string;
  cover?: { section: number; item: number };
  sections: { title: string; text: string; items: ExhibitItem[] }[];
  status: ExhibitStatus;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface ExhibitHistoryEntry {
  slug: string;
  at: string;
  actor: string;
  action: 'create' | 'update' | 'submit' | 'return' | 'publish';
  version: number;
  comment: string | null;
}

/** The region of an item, parsed. */
export function regionOf(xywh: string | undefined): [number, number, number, number] | null {
  const m = xywh ? XYWH.exec(xywh) : null;
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] : null;
}
