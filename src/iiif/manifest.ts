/**
 * IIIF Presentation 3.0 manifests of digitized records (https://iiif.io/api/presentation/3.0/),
 * built with @iiif/builder and typed by @iiif/presentation-3. Pure: everything it needs is
 * handed in.
 *
 * Chinese string-bound books read right to left: the manifest says `viewingDirection:
 * right-to-left` and `behavior: ["paged"]`, or viewers show the spreads backwards (the most common
 * complaint about IIIF from East Asian collections). The builder has no ranges, so `structures`
 * (册 and 卷 as nested Ranges under a labelled root, which viewers turn into a table of contents)
 * and `provider` are added to its output.
 */
import { IIIFBuilder } from '@iiif/builder';
import type { Collection, InternationalString, Manifest, Range, ViewingDirection } from '@iiif/presentation-3';
import * as OpenCC from 'opencc-js';
import { manifestFieldsOf, type CensusRecord } from '../domain/census-record.js';
import type { HistoricalDate } from '../domain/historical-date.js';
import { canonicalRights } from '../domain/rights.js';
import { openingsOf } from '../domain/structure-sheet.js';
import type { Heading, Page } from '../domain/page.js';
import { canvasIdOf, textAnnotationPageId } from './text-annotations.js';
import { authEndpoints, loginService, probeService, withheldText } from './auth.js';
import { searchServices } from './content-search.js';

export const PRESENTATION_CONTEXT = 'http://iiif.io/api/presentation/3/context.json';

const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });
const toTraditional = OpenCC.Converter({ from: 'cn', to: 't' });

/**
 * The BCP 47 tag of Chinese text as written: zh-Hant when it holds traditional characters (OpenCC
 * would change it to simplified), zh-Hans when simplified, zh when the same in both.
 */
export function scriptOf(text: string): 'zh-Hant' | 'zh-Hans' | 'zh' {
  if (toSimplified(text) !== text) return 'zh-Hant';
  return toTraditional(text) !== text ? 'zh-Hans' : 'zh';
}

/**
 * Text exactly as written, under its script's tag; with no Han character at all (a census
 * number, a count, a call number like 善001 still has one) it has no language, and §4.5 of the
 * Presentation API says so with `none`. The other script is not added: a machine conversion is
 * not catalogue data and is sometimes wrong — OpenCC turns 周易乾鑿度 into 周易干凿度, where 乾
 * is the trigram (qián), never 干 — and a viewer shows any language it is given as if a
 * cataloguer wrote it (a private-use tag such as zh-Hans-x-auto is just another language to
 * Mirador and the Universal Viewer). Readers who want the other script have their browser's
 * conversion; search still matches either (src/domain/text-fold.ts: display is not search).
 */
export function chinese(text: string): InternationalString {
  return /\p{Script=Han}/u.test(text) ? { [scriptOf(text)]: [text] } : { none: [text] };
}

const label = (zh: string, en: string): InternationalString => ({ 'zh-Hans': [zh], en: [en] });

export interface ManifestInput {
  record: CensusRecord;
  pages: readonly Page[];
  unitName: string;
  /** The holding unit (`PPPPPP-UUUU` and its provider fields), when registered. */
  unit?: { key: string; homepage?: string | null; logo?: string | null; identifier?: string | null };
  baseUrl: string;
  /** The service's licence or rights statement URI, for records that name none of their own. */
  rights: string;
  /** Width and height of the thumbnail the image service makes for a page. */
  thumbnailSize: (page: Page) => { width: number; height: number };
  /** Width and height of the page's `full/max` (the master within the service's maxWidth, maxHeight and maxArea). */
  maxSize: (page: Page) => { width: number; height: number };
  /** Sequences of the pages whose text the reader may see (text-annotations.ts serves it). */
  withText?: ReadonlySet<number>;
  /** The record is not published: its image services carry the IIIF Authorization Flow's services. */
  restricted?: boolean;
  /** A PDF of the access copies is offered (src/services/rendering-service.ts). */
  pdf?: boolean;
}

/** The PDF of a book's access copies (GET /iiif/{censusNumber}/scans.pdf). */
export const pdfId = (baseUrl: string, censusNumber: string) => `${baseUrl}/iiif/${censusNumber}/scans.pdf`;

/**
 * The licence of a record's images and manifest, as its canonical URI (src/domain/rights.ts): a
 * record written before the check may hold an `https` or deed-page form; one that names no
 * licence has the service's (`serviceRights`).
 */
export function rightsOf(record: CensusRecord, serviceRights: string): string {
  const own = record.fields.presentation?.rights ? canonicalRights(record.fields.presentation.rights) : null;
  return own ?? canonicalRights(serviceRights) ?? serviceRights;
}

/**
 * How a viewer should lay the book out. String-bound books — 线装 and the other Chinese
 * bindings, and books whose binding is not recorded — read right to left in spreads; a
 * handscroll (卷轴装) unrolls right to left as one surface; Western bindings (平装, 精装) read
 * left to right. The record's `presentation` overrides either.
 */
export function layoutOf(record: CensusRecord): { viewingDirection: ViewingDirection; behavior: string[] } {
  const binding = record.derived.binding;
  const own = record.fields.presentation;
  const western = binding === '平装' || binding === '精装';
  return {
    viewingDirection: own?.viewingDirection ?? (western ? 'left-to-right' : 'right-to-left'),
    behavior: [own?.behavior ?? (binding === '卷轴装' ? 'continuous' : 'paged')],
  };
}

/** A page's thumbnail (the size the image service pre-makes) with its image service. */
export function pageThumbnail(baseUrl: string, page: Page, size: { width: number; height: number }) {
  const service = `${baseUrl}/iiif/3/${page.imageId}`;
  return {
    id: `${service}/full/${size.width},${size.height}/0/default.jpg`, type: 'Image', format: 'image/jpeg', ...size,
    service: [{ id: service, type: 'ImageService3', profile: 'level2' }],
  };
}

/**
 * The service itself as an Agent (§3.3.2 provider) for what it publishes as a whole: the
 * collections. Its id is its home page, the one URL that names it.
 */
export function siteProvider(baseUrl: string, siteName: string) {
  return {
    id: `${baseUrl}/`,
    type: 'Agent',
    label: label(`${siteName}古籍普查与数字化`, `Census and digitization of classical Chinese books, ${siteName}`),
    homepage: [{ id: `${baseUrl}/`, type: 'Text', label: label(`${siteName}古籍普查与数字化`, 'Census and digitization of classical Chinese books'), format: 'text/html' }],
  };
}

export const manifestId = (baseUrl: string, censusNumber: string) => `${baseUrl}/iiif/${censusNumber}/manifest`;
/** The collections of published, digitized records (src/services/manifest-service.ts). */
export const collectionId = (baseUrl: string) => `${baseUrl}/iiif/collection`;
export const unitCollectionId = (baseUrl: string, unit: string) => `${baseUrl}/iiif/units/${unit}`;
export const divisionCollectionId = (baseUrl: string, division: string) => `${baseUrl}/iiif/divisions/${encodeURIComponent(division)}`;
export const workCollectionId = (baseUrl: string, work: string) => `${baseUrl}/iiif/works/${encodeURIComponent(work)}`;

/** A part's label in lists: its title as written, and what it holds of the work (存卷). */
const partLabel = (record: CensusRecord) => chinese([record.fields.titleStatement, record.fields.extant].filter(Boolean).join(' '));

/**
 * A multi-volume work digitized as separate records: a Collection whose manifests are its parts
 * in order, with `behavior: ["multi-part"]` (Presentation 3.0 §3.4.1: "the Collection represents
 * a multi-part resource, such as a multi-volume book"). Labelled by the title proper of its first part.
 */
export function buildWorkCollection(baseUrl: string, work: string, parts: readonly CensusRecord[]): Collection {
  const ordered = [...parts].sort((a, b) => a.fields.partOf!.sequence - b.fields.partOf!.sequence || a.fields.censusNumber.localeCompare(b.fields.censusNumber));
  return {
    '@context': PRESENTATION_CONTEXT,
    id: workCollectionId(baseUrl, work),
    type: 'Collection',
    label: chinese(ordered[0]!.derived.title.title),
    // Who made it and which edition, as the first part's record says.
    summary: chinese([ordered[0]!.fields.creatorStatement, ordered[0]!.fields.editionStatement].filter(Boolean).join(' ')),
    behavior: ['multi-part'],
    viewingDirection: layoutOf(ordered[0]!).viewingDirection,
    items: ordered.map((r) => ({ id: manifestId(baseUrl, r.fields.censusNumber), type: 'Manifest', label: partLabel(r) })),
  } as Collection;
}

export function buildManifest(input: ManifestInput): Manifest {
  const { record, pages, baseUrl } = input;
  const f = record.fields;
  const id = manifestId(baseUrl, f.censusNumber);
  const base = `${baseUrl}/iiif/${f.censusNumber}`;
  const imageService = (page: Page) => `${baseUrl}/iiif/3/${page.imageId}`;
  const imageServiceOf = (page: Page) => ({ id: imageService(page), type: 'ImageService3', profile: 'level2' });
  const canvasId = (page: Page) => canvasIdOf(baseUrl, f.censusNumber, page.sequence);
  const builder = new IIIFBuilder();
  const layout = layoutOf(record);

  const built = builder.createManifest(id, (manifest) => {
    manifest.setLabel(chinese(f.titleStatement));
    const summary = [f.creatorStatement, f.editionStatement, f.extant].filter(Boolean).join(' ');
    manifest.setSummary(chinese(summary));
    // The census fields the table marks for the manifest (CENSUS_FIELDS), then the base edition
    // read from the edition statement.
    for (const { label: l, value } of manifestFieldsOf(record, input.unitName)) manifest.addMetadata(label(l.zh, l.en), chinese(value));
    const base = record.derived.edition.base?.statement;
    if (base) manifest.addMetadata(label('底本', 'Base edition'), chinese(base));
    // Western years read from the edition statement, labelled as derived (the values above are
    // as the surveyor wrote them); numbers have no language (§4.5 of the specification: `none`).
    const years: [string, string, HistoricalDate | null | undefined][] = [
      ['版本年代（公元，据版本推定）', 'Date of the copy (Western years, derived from the edition statement)', record.derived.edition.date],
      ['底本年代（公元，据版本推定）', 'Date of the base edition (Western years, derived)', record.derived.edition.baseDate],
    ];
    for (const [zh, en, date] of years) {
      const value = westernYears(date ?? null);
      if (value) manifest.addMetadata(label(zh, en), { none: [value] });
    }
    manifest.setRequiredStatement({ label: label('收藏单位', 'Holding institution'), value: chinese(input.unitName) });
    manifest.setRights(rightsOf(record, input.rights));
    manifest.setHomepage({ id: `${baseUrl}/records/${f.censusNumber}`, type: 'Text', label: chinese(f.titleStatement), format: 'text/html' } as never);
    manifest.addSeeAlso({ id: `${baseUrl}/api/records/${f.censusNumber}`, type: 'Dataset', format: 'application/json', profile: `${baseUrl}/api/openapi.json`, label: label('普查登记', 'Census record') } as never);
    manifest.addSeeAlso({ id: `${baseUrl}/api/records/${f.censusNumber}.mods.xml`, type: 'Dataset', format: 'application/mods+xml', profile: 'http://www.loc.gov/mods/v3', label: label('普查登记（MODS）', 'Census record (MODS)') } as never);
    const first = pages[0];
    if (first) manifest.addThumbnail(pageThumbnail(baseUrl, first, input.thumbnailSize(first)) as never);
    manifest.setViewingDirection(layout.viewingDirection);
    manifest.setBehavior(layout.behavior);
    for (const page of pages) {
      manifest.createCanvas(canvasId(page), (canvas) => {
        canvas.setLabel(chinese(pageLabel(page)));
        // §3.4.1: a canvas behaviour overrides the manifest's for this page (non-paged, facing-pages).
        if (page.behavior) canvas.setBehavior([page.behavior]);
        canvas.setWidth(page.width);
        canvas.setHeight(page.height);
        // The painted image is the URL's answer: a page larger than the service's limits (a
        // 12000-pixel scroll) is answered smaller by `full/max` (Image API §4.2: "max … the
        // maximum size … without exceeding maxWidth, maxHeight or maxArea"), and §3.2's width
        // and height of a content resource are of that resource; the canvas keeps the master's.
        const max = input.maxSize(page);
        canvas.createAnnotation(`${canvasId(page)}/annotation`, {
          id: `${canvasId(page)}/annotation`,
          type: 'Annotation',
          motivation: 'painting',
          body: {
            id: `${imageService(page)}/full/max/0/default.jpg`,
            type: 'Image',
            format: 'image/jpeg',
            width: max.width,
            height: max.height,
            service: [imageServiceOf(page)],
          },
        } as never);
      });
    }
  });

  const manifest = builder.toPresentation3({ id: built.id, type: 'Manifest' }) as Manifest;
  // §3.3.1 `rendering`: "an alternative, non-IIIF representation of the resource" — the access
  // copies as one PDF (type Text, as the Cookbook's recipe 0046 types a PDF), and the book's
  // plain text once a page has text the reader may see.
  const renderings: unknown[] = [];
  if (input.pdf) renderings.push({ id: pdfId(baseUrl, f.censusNumber), type: 'Text', format: 'application/pdf', label: label('PDF（访问用图像）', 'PDF of the page images (access copies)') });
  // Each canvas with text refers to its AnnotationPage by id (viewers fetch it when shown).
  if (input.withText?.size) {
    pages.forEach((page, i) => {
      if (input.withText!.has(page.sequence)) manifest.items[i]!.annotations = [{ id: textAnnotationPageId(baseUrl, f.censusNumber, page.sequence), type: 'AnnotationPage' } as never];
    });
    renderings.push({ id: `${baseUrl}/api/records/${f.censusNumber}/text.txt`, type: 'Text', format: 'text/plain', label: label('全文', 'Full text') });
    // Search inside the book (IIIF Content Search 2.0, and 1.0 for Mirador 3): src/iiif/content-search.ts.
    manifest.service = searchServices(baseUrl, f.censusNumber) as never;
  }
  if (renderings.length) manifest.rendering = renderings as never;
  manifest.provider = [unitProvider(baseUrl, input.unitName, input.unit)];
  manifest.structures = [buildStructures(base, pages, canvasId)];
  // Added after the builder, which merges services by id and cannot hold the 2.0 and 1.0
  // descriptions of one endpoint side by side: the 1.0 login service inside each image
  // service, the 2.0 probe beside it on the painting body (src/iiif/auth.ts). Not on the
  // manifest's thumbnail, which loads with the access cookie like the tiles.
  if (input.restricted) {
    for (const canvas of manifest.items) {
      for (const annotations of canvas.items ?? []) {
        for (const annotation of annotations.items ?? []) {
          const body = annotation.body as { service: { id: string; service?: unknown[] }[] };
          const endpoints = authEndpoints(baseUrl, body.service[0]!.id.split('/').pop()!);
          body.service[0]!.service = [loginService(endpoints)];
          body.service.push(probeService(endpoints) as never);
        }
      }
    }
  }
  // §3.3.4 start: "A Canvas … that the client should show on initialization", as the structure says.
  const start = pages.find((p) => p.start);
  if (start) manifest.start = { id: canvasId(start), type: 'Canvas' } as never;
  const nav = navDateOf(record.derived.edition.date);
  if (nav) manifest.navDate = nav;
  // Labelled as the work's collection labels itself (buildWorkCollection: the title proper).
  if (f.partOf) manifest.partOf = [{ id: workCollectionId(baseUrl, f.partOf.work), type: 'Collection', label: chinese(record.derived.title.title) } as never];
  // The builder leaves out left-to-right, the specification's default; a reader of the manifest
  // should not have to know that to see which way the book goes.
  manifest.viewingDirection = layout.viewingDirection;
  return manifest;
}

/**
 * What a client that may not see an unpublished book gets instead of its manifest: its first
 * page (its size and access-controlled image service, whose probe Mirador and the Universal
 * Viewer need to show their sign-in prompt rather than a blank error — the Authorization Flow
 * declares its services on the content resources of a manifest), and nothing else — no title,
 * metadata, structure, page labels, nor how many pages it has. Staff who sign in through the
 * viewer get the whole manifest when it loads again (public/iiif-access-cookie.js reloadWhenSignedIn).
 */
export function withheldManifest(full: Manifest): Manifest {
  const { heading, note } = withheldText;
  return {
    '@context': PRESENTATION_CONTEXT,
    id: full.id,
    type: 'Manifest',
    label: heading,
    summary: note,
    ...(full.viewingDirection ? { viewingDirection: full.viewingDirection } : {}),
    ...(full.behavior ? { behavior: full.behavior } : {}),
    items: full.items.slice(0, 1).map((canvas) => ({ ...canvas, label: { none: ['1'] } })),
  } as Manifest;
}

const LOGO_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', svg: 'image/svg+xml', webp: 'image/webp', gif: 'image/gif' };

/**
 * The holding unit as a provider (§3.3.2: an Agent with `homepage`, `logo` and `seeAlso`): its
 * id is its own URL (GET /api/units/{key} answers its record, identifier included), its home
 * page its own site or else this one's, its logo when an admin gave one. Presentation 3.0 has no
 * identifier property for agents, so the ISIL (or other code) is named in the seeAlso label.
 */
export function unitProvider(baseUrl: string, unitName: string, unit: ManifestInput['unit']) {
  const id = unit ? `${baseUrl}/api/units/${unit.key}` : `${baseUrl}/api/units`;
  const logoType = unit?.logo ? LOGO_TYPES[/\.([a-z]+)(?:[?#].*)?$/i.exec(unit.logo)?.[1]?.toLowerCase() ?? ''] : undefined;
  const known = unit?.identifier ? ` ${unit.identifier}` : '';
  return {
    id,
    type: 'Agent',
    label: chinese(unitName),
    homepage: [unit?.homepage
      ? { id: unit.homepage, type: 'Text', label: chinese(unitName), format: 'text/html' }
      : { id: `${baseUrl}/`, type: 'Text', label: label('古籍普查与数字化', 'Census and digitization of classical Chinese books'), format: 'text/html' }],
    ...(unit?.logo ? { logo: [{ id: unit.logo, type: 'Image', ...(logoType ? { format: logoType } : {}) }] } : {}),
    ...(unit ? { seeAlso: [{ id, type: 'Dataset', format: 'application/json', label: label(`收藏单位登记${known}`, `Collecting unit record${known}`) }] } : {}),
  } as never;
}

/** 1551, or 1736–1795 for a span; undefined when the statement gives no year. */
function westernYears(date: HistoricalDate | null): string | undefined {
  if (!date || date.gregorianFrom === null) return undefined;
  return date.gregorianTo !== null && date.gregorianTo !== date.gregorianFrom ? `${date.gregorianFrom}–${date.gregorianTo}` : String(date.gregorianFrom);
}

/**
 * navDate (Presentation 3.0 §3.3.1: "a date that clients may use for navigation purposes …
 * the value must be an XSD dateTime literal", in UTC): the first year of the copy's date, the
 * last event that made this copy. Years before 1 CE have no four-digit form and are left out.
 */
export function navDateOf(date: HistoricalDate | null): string | undefined {
  const year = date?.gregorianFrom;
  if (year === null || year === undefined || year < 1) return undefined;
  return `${String(year).padStart(4, '0')}-01-01T00:00:00Z`;
}

/**
 * 卷一 葉三a; a page without a label is named by its place. One page image is one half-leaf
 * (半叶), as the census counts them; 叶 is the whole leaf (issue 20: one usage in every page).
 */
export function pageLabel(page: Page): string {
  const parts = [page.juan, page.label].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : `第 ${page.sequence} 半叶`;
}

type RangeItem = NonNullable<Range['items']>[number];

/**
 * 册 → table of contents (卷, 篇 … as deep as its headings go) → canvases, in reading order,
 * under one labelled root Range. A 卷 that runs on into the next 册 opens again inside it, so
 * that each 册 holds whole ranges, as viewers expect of nested structures.
 */
function buildStructures(base: string, pages: readonly Page[], canvasId: (p: Page) => string): Range {
  const canvas = (p: Page): RangeItem => ({ id: canvasId(p), type: 'Canvas' }) as RangeItem;
  let count = 0;
  const range = (text: string, author: string | null): Range => ({
    id: `${base}/range/${++count}`, type: 'Range', label: chinese(text), items: [],
    ...(author ? { metadata: [{ label: label('著者', 'Creator'), value: chinese(author) }] } : {}),
  }) as Range;
  const openings = openingsOf(pages);
  const root: Range = { id: `${base}/range/root`, type: 'Range', label: label('目录', 'Contents'), items: [] };
  // The headings in force, outermost first, and the ranges open for them in the current 册.
  let active: Heading[] = [];
  let open: Range[] = [];
  let volume: { key: string | null; range: Range | null } | null = null;
  pages.forEach((page, i) => {
    for (const { level, title, author } of openings[i]!) {
      active = active.filter((a) => a.level < level);
      open = open.slice(0, active.length);
      if (title !== null) active.push({ level, title, author });
    }
    if (!volume || volume.key !== page.volume) {
      volume = { key: page.volume, range: page.volume ? range(page.volume, null) : null };
      if (volume.range) root.items!.push(volume.range as RangeItem);
      open = [];
    }
    const container = () => open[open.length - 1] ?? volume!.range ?? root;
    for (const h of active.slice(open.length)) {
      const r = range(h.title, h.author);
      container().items!.push(r as RangeItem);
      open.push(r);
    }
    container().items!.push(canvas(page));
  });
  return root;
}
