/**
 * IIIF Presentation manifests of digitized records and the collections of published, digitized
 * records: all of them, a holding unit's, a 四部 division's, a multi-part work's. A manifest is built on request from the record and its pages; its ETag is
 * the record's version, which changes whenever the record or its pages do.
 */
import { createHash } from 'node:crypto';
import type { Collection, Manifest, Range } from '@iiif/presentation-3';
import { parseCensusNumber } from '../domain/census-number.js';
import type { CensusRecord } from '../domain/census-record.js';
import { NotFoundError } from '../domain/errors.js';
import type { Actor } from '../domain/workflow.js';
import { parseImageRequest } from '../iiif/image-request.js';
import { buildManifest, buildWorkCollection, chinese, collectionId, divisionCollectionId, manifestId, pageThumbnail, PRESENTATION_CONTEXT, rightsOf, siteProvider, unitCollectionId, unitProvider, withheldManifest } from '../iiif/manifest.js';
import type { CatalogueStore, Page } from '../ports/catalogue-store.js';
import type { SearchIndex } from '../ports/search-index.js';
import { CappedMap } from './capped-map.js';
import type { RecordService } from './record-service.js';
import type { TextService } from './text-service.js';

/** How many manifests one collection page lists before splitting into parts. */
export const COLLECTION_PAGE = 1000;

/** Manifests kept once built (a 1,000-leaf book's is about a megabyte of objects). */
const BUILT_MANIFESTS = 16;

export class ManifestService {
  /** Manifests built, by what they are made of. */
  private readonly built = new CappedMap<string, { manifest: Manifest; etag: string }>(BUILT_MANIFESTS);

  constructor(
    private readonly store: CatalogueStore,
    private readonly records: RecordService,
    private readonly search: SearchIndex,
    private readonly options: {
      baseUrl: string; rights: string; siteName: string; imageLimits: { maxWidth: number; maxHeight: number; maxArea: number };
      /** Manifests offer the PDF of their access copies (src/services/rendering-service.ts). */
      pdf?: boolean;
    },
    /** Page text the reader may see becomes the canvases' annotations. */
    private readonly texts?: TextService,
  ) {}

  /** Width and height of what the image service answers for a page's whole image at this size. */
  private fullSize(page: Page, size: string) {
    const request = parseImageRequest({ region: 'full', size, rotation: '0', qualityFormat: 'default.jpg' }, page, this.options.imageLimits);
    return { width: request.size.w, height: request.size.h };
  }

  /** Width and height of the thumbnail the image service makes for a page. */
  private thumbnailSize(page: Page) {
    return this.fullSize(page, '!200,200');
  }

  /**
   * The manifest of a digitized record. A client that may not read an unpublished record with
   * scans gets the withheld form (`withheld: true`, src/iiif/manifest.ts withheldManifest), so
   * that the viewer offers staff its sign-in prompt; a record without scans stays a 404.
   * `version` (the manifest's ETag) names what it is made of. Canvases and ranges dereference
   * from it, so the last few manifests built are kept (BUILT_MANIFESTS, least recently used
   * first out) rather than built again for each.
   */
  async manifest(actor: Actor | null, censusNumber: string): Promise<{ manifest: Manifest; version: string; published: boolean; withheld: boolean }> {
    let record: CensusRecord;
    let withheld = false;
    try {
      record = await this.records.readable(actor, censusNumber);
    } catch (e) {
      const hidden = e instanceof NotFoundError ? await this.store.records.get(censusNumber) : null;
      if (!hidden) throw e;
      record = hidden;
      withheld = true;
    }
    const pages = await this.store.pages.list(censusNumber);
    if (pages.length === 0) {
      throw new NotFoundError(withheld ? `Record ${censusNumber}` : `A manifest of ${censusNumber} (the record has no scanned pages yet)`);
    }
    const withText = this.texts && !withheld ? await this.texts.visiblePages(actor, record, pages) : new Set<number>();
    const parts = parseCensusNumber(censusNumber)!;
    const unit = await this.store.units.get(parts.province, parts.unit);
    const unitName = unit?.name ?? parts.unitKey;
    const provider = unit ? { key: parts.unitKey, homepage: unit.homepage, logo: unit.logo, identifier: unit.identifier } : undefined;
    // Everything the manifest is made of: the record (its version changes with its pages), the
    // pages whose text the reader sees, the holding unit as provider, and which form.
    const key = createHash('sha256').update(JSON.stringify([censusNumber, record.version, [...withText], unitName, provider ?? null, withheld])).digest('base64url').slice(0, 22);
    let built = this.built.get(key);
    if (!built) {
      const whole = buildManifest({
        record,
        pages,
        unitName,
        ...(provider ? { unit: provider } : {}),
        baseUrl: this.options.baseUrl,
        rights: this.options.rights,
        restricted: record.status !== 'published',
        thumbnailSize: (page) => this.thumbnailSize(page),
        maxSize: (page) => this.fullSize(page, 'max'),
        withText,
        pdf: this.options.pdf === true,
      });
      // The ETag of a withheld manifest is of what it shows, not of the record: its version
      // (which counts its edits) would tell the public when a draft changes.
      const manifest = withheld ? withheldManifest(whole) : whole;
      const etag = withheld ? createHash('sha256').update(JSON.stringify(manifest)).digest('base64url').slice(0, 22) : key;
      built = { manifest, etag };
      this.built.set(key, built);
    }
    return { manifest: built.manifest, version: built.etag, published: record.status === 'published', withheld };
  }

  /**
   * A canvas or range of a manifest on its own (`{base}/canvas/{n}`, `{base}/range/{id}`), with
   * the JSON-LD context and `partOf` naming its manifest: Presentation 3.0 §3.3 — "the
   * URI … SHOULD be … dereferenceable" — as the manifest's reader would find it there.
   */
  async part(actor: Actor | null, censusNumber: string, kind: 'canvas' | 'range', key: string) {
    const { manifest, version, published, withheld } = await this.manifest(actor, censusNumber);
    const id = `${manifestId(this.options.baseUrl, censusNumber).replace(/\/manifest$/, '')}/${kind}/${key}`;
    const found = kind === 'canvas' ? manifest.items.find((c) => c.id === id) : findRange(manifest.structures ?? [], id);
    if (!found) throw new NotFoundError(`The ${kind} ${key} of ${censusNumber}`);
    const part = { '@context': PRESENTATION_CONTEXT, ...found, partOf: [{ id: manifest.id, type: 'Manifest', label: manifest.label }] };
    return { part, version, published, withheld };
  }

  /**
   * What info.json says of a published image beyond its pixels (Image API 3.0 §5.6 `rights`,
   * §5.7 `partOf`): the manifests of the published records it is a page of, and their licence
   * when they agree on one. Nothing of unpublished records.
   */
  async imageContext(imageId: string): Promise<{ rights?: string; partOf?: { id: string; type: 'Manifest'; label: ReturnType<typeof chinese> }[] }> {
    const records = (await Promise.all((await this.store.pages.byImage(imageId)).map((p) => this.store.records.get(p.censusNumber))))
      .filter((r): r is CensusRecord => r?.status === 'published');
    if (records.length === 0) return {};
    const rights = [...new Set(records.map((r) => rightsOf(r, this.options.rights)))];
    return {
      ...(rights.length === 1 ? { rights: rights[0]! } : {}),
      partOf: records.map((r) => ({ id: manifestId(this.options.baseUrl, r.fields.censusNumber), type: 'Manifest' as const, label: chinese(r.fields.titleStatement) })),
    };
  }

  /** The published, digitized parts of a multi-part work (records whose `partOf.work` names it). */
  async work(key: string): Promise<Collection> {
    const { hits } = await this.search.search({
      text: '', filters: { work: [key], digitized: ['true'] }, visibleTo: 'published', sort: 'censusNumber', offset: 0, limit: COLLECTION_PAGE, facets: [],
    });
    const parts = (await Promise.all(hits.map((cn) => this.store.records.get(cn)))).filter((r): r is CensusRecord => r?.fields.partOf?.work === key);
    if (parts.length === 0) throw new NotFoundError(`The work ${key} (no published, digitized record is part of it)`);
    const collection = buildWorkCollection(this.options.baseUrl, key, parts);
    const [coverPage] = await this.store.pages.list(collection.items[0]!.id.split('/').at(-2)!);
    return {
      ...collection,
      provider: [siteProvider(this.options.baseUrl, this.options.siteName)],
      ...(coverPage ? { thumbnail: [pageThumbnail(this.options.baseUrl, coverPage, this.thumbnailSize(coverPage))] } : {}),
    } as Collection;
  }

  /**
   * Every published, digitized record. Up to COLLECTION_PAGE manifests are listed directly; a
   * larger catalogue is split into part collections (/iiif/collection/{n}) of that many each.
   */
  async collection(part?: number): Promise<Collection> {
    const site = this.options.siteName;
    return this.listing({
      id: collectionId(this.options.baseUrl),
      filters: {},
      label: { 'zh-Hans': [`${site}古籍数字化`], en: ['Digitized classical Chinese books'] },
      summary: {
        'zh-Hans': [`${site}古籍普查中已发布、已数字化的古籍，每部一份 IIIF 清单。`],
        en: [`The published, digitized classical Chinese books of the ${site} census, one IIIF manifest each.`],
      },
      provider: siteProvider(this.options.baseUrl, site),
      always: true,
    }, part);
  }

  /**
   * A holding unit's published, digitized records (/iiif/units/{PPPPPP-UUUU}), labelled with its
   * name and provided by it; a 404 while it has none, as IIIF Change Discovery says (a Delete
   * when its last goes: src/iiif/activity.ts).
   */
  async unitCollection(key: string, part?: number): Promise<Collection> {
    const [province = '', code = ''] = key.split('-');
    const unit = /^\d{6}-\d{4}$/.test(key) ? await this.store.units.get(province, code) : null;
    if (!unit) throw new NotFoundError(`The collection of unit ${key}`);
    return this.listing({
      id: unitCollectionId(this.options.baseUrl, key),
      filters: { unit: [key] },
      label: chinese(unit.name),
      summary: {
        'zh-Hans': [`${unit.name}已发布、已数字化的古籍，每部一份 IIIF 清单。`],
        en: [`The published, digitized classical Chinese books held by ${unit.name}, one IIIF manifest each.`],
      },
      provider: unitProvider(this.options.baseUrl, unit.name, { key, homepage: unit.homepage, logo: unit.logo, identifier: unit.identifier }),
      always: false,
    }, part);
  }

  /** A 四部 division's published, digitized records (/iiif/divisions/{經部 …}); a 404 while it has none. */
  async divisionCollection(division: string, part?: number): Promise<Collection> {
    const site = this.options.siteName;
    return this.listing({
      id: divisionCollectionId(this.options.baseUrl, division),
      filters: { division: [division] },
      label: chinese(`${site}古籍数字化·${division}`),
      summary: {
        'zh-Hans': [`${site}古籍普查中已发布、已数字化的${division}古籍，每部一份 IIIF 清单。`],
        en: [`The published, digitized classical Chinese books of the ${site} census classed under ${division}, one IIIF manifest each.`],
      },
      provider: siteProvider(this.options.baseUrl, site),
      always: false,
    }, part);
  }

  /**
   * A collection of the published, digitized records the filters allow, in census-number order:
   * up to COLLECTION_PAGE manifests directly, more split into parts ({id}/{n}) of that many.
   * `always`: it answers while empty (the whole catalogue's); otherwise an empty one is a 404.
   */
  private async listing(
    spec: { id: string; filters: Record<string, string[]>; label: Collection['label']; summary: Collection['summary']; provider: unknown; always: boolean },
    part?: number,
  ): Promise<Collection> {
    const base = spec.id;
    const query = { text: '', filters: { ...spec.filters, digitized: ['true'] }, visibleTo: 'published' as const, sort: 'censusNumber' as const, facets: [] };
    // The first book's first page stands for the whole, as a catalogue's cover would.
    const { total, hits: [cover] } = await this.search.search({ ...query, offset: 0, limit: 1 });
    if (total === 0 && !spec.always) throw new NotFoundError(`${base} (no published, digitized record is in it)`);
    const parts = Math.ceil(total / COLLECTION_PAGE);
    const [coverPage] = cover ? await this.store.pages.list(cover) : [];
    const collection = (id: string, items: Collection['items']): Collection => ({
      '@context': PRESENTATION_CONTEXT,
      id,
      type: 'Collection',
      label: spec.label,
      summary: spec.summary,
      provider: [spec.provider],
      ...(coverPage ? { thumbnail: [pageThumbnail(this.options.baseUrl, coverPage, this.thumbnailSize(coverPage))] } : {}),
      items,
    } as Collection);
    if (part === undefined && parts > 1) {
      return collection(base, Array.from({ length: parts }, (_, i) => ({
        id: `${base}/${i + 1}`, type: 'Collection', label: { en: [`Part ${i + 1} of ${parts}`], 'zh-Hans': [`第${i + 1}部分`] },
      })) as unknown as Collection['items']);
    }
    if (part !== undefined && (part < 1 || part > Math.max(1, parts))) throw new NotFoundError(`Collection part ${part}`);
    const page = part ?? 1;
    const { hits } = await this.search.search({ ...query, offset: (page - 1) * COLLECTION_PAGE, limit: COLLECTION_PAGE });
    const records = await Promise.all(hits.map((cn) => this.store.records.get(cn)));
    const items = records
      .filter((r) => r !== null)
      .map((r) => ({ id: manifestId(this.options.baseUrl, r.fields.censusNumber), type: 'Manifest', label: chinese(r.fields.titleStatement) }));
    return collection(part === undefined ? base : `${base}/${part}`, items as unknown as Collection['items']);
  }
}

/** The range with this id among nested ranges, depth first. */
function findRange(ranges: readonly Range[], id: string): Range | undefined {
  for (const range of ranges) {
    if (range.id === id) return range;
    const inner = findRange((range.items ?? []).filter((i): i is Range => (i as { type?: string }).type === 'Range'), id);
    if (inner) return inner;
  }
  return undefined;
}
