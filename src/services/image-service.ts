/**
 * The IIIF Image API service: who may see an image (anonymous clients: images of published
 * records only), its info.json, and each image request — answered from a pre-rendered file
 * (tile, access copy, thumbnail) when one matches, else rendered from the pyramid. Renders take
 * a turn in a bounded queue (GUJI_IMAGE_RENDERS at once): a flood of costly requests is
 * refused with 503 + Retry-After, and requests answered from files never wait behind it.
 */
import { NotFoundError } from '../domain/errors.js';
import { can } from '../domain/permissions.js';
import type { CensusRecord } from '../domain/census-record.js';
import type { Actor } from '../domain/workflow.js';
import { imageInfo } from '../iiif/image-info.js';
import { parseImageRequest, type ImageLimits, type ImageRequest } from '../iiif/image-request.js';
import type { CatalogueStore, Page } from '../ports/catalogue-store.js';
import type { ImageRenderer } from '../ports/image-renderer.js';
import type { ScanFileStore } from '../ports/scan-files.js';
import { BoundedQueue, type QueueLimits } from './bounded-queue.js';
import { CappedMap } from './capped-map.js';

const IMAGE_ID = /^[0-9a-f]{64}$/;

/**
 * A render is large when it makes more pixels than this (2000×2000): the cost of a render
 * grows with the pixels it makes — a 50-megapixel one takes seconds of a core, a viewer's
 * 512-px region a millisecond. Large renders take a turn in a lane of their own that leaves
 * one render slot to the small ones, so that heavy requests can neither hold every slot nor
 * every core (bench abuse: on two cores, two 50-megapixel renders at once doubled the p99 of
 * tiles and search; one at a time left them as on a quiet service).
 */
const LARGE_RENDER_PIXELS = 4_000_000;

/**
 * Images whose pages and records are remembered (by count: a record a few kB, so some MB at
 * most). Every image request asks who holds the image: two SQLite queries and two JSON parses,
 * 0.2–0.3 ms of the main thread a request (measured under autocannon: a pre-rendered tile took
 * 0.85 ms of it with them, 0.61 without).
 */
const HOLDERS_KEPT = 2048;

/** The pages that show an image and the record of each (null: the page's record is missing). */
type Holders = { page: Page; record: CensusRecord | null }[];

export type ImageAnswer = { request: ImageRequest; published: boolean } & ({ file: string } | { data: Buffer });

export class ImageService {
  private readonly described = new Map<
    string,
    { sizes: { width: number; height: number; file: string }[]; tiles: { width: number; scaleFactors: number[] }[] }
  >();
  private readonly renders: BoundedQueue;
  private readonly largeRenders: BoundedQueue;
  /** Holders by image id, true while the store's change mark is `mark`. */
  private holdersKept = new CappedMap<string, Holders>(HOLDERS_KEPT);
  private mark: string | null = null;

  constructor(
    private readonly store: CatalogueStore,
    private readonly files: ScanFileStore,
    private readonly renderer: ImageRenderer,
    readonly limits: ImageLimits,
    renderLimits: QueueLimits,
  ) {
    this.renders = new BoundedQueue(renderLimits, 'image renders');
    this.largeRenders = new BoundedQueue({ ...renderLimits, concurrent: Math.max(1, renderLimits.concurrent - 1) }, 'large image renders');
  }

  /**
   * Who holds an image, remembered until the catalogue changes: any write — a publication, a
   * withdrawal, a new scan, by this process or another — changes the store's mark, and the next
   * request finds the mark changed and forgets them all, so a withdrawn record's images stop
   * being public at once. What was read while a write landed is kept under the mark read
   * before it, which the next request finds stale.
   */
  private async holders(imageId: string): Promise<Holders> {
    const mark = this.store.changeMark();
    if (mark !== this.mark) {
      this.holdersKept = new CappedMap(HOLDERS_KEPT);
      this.mark = mark;
    }
    const kept = mark === null ? undefined : this.holdersKept.get(imageId);
    if (kept) return kept;
    const pages = await this.store.pages.byImage(imageId);
    const holders = await Promise.all(pages.map(async (page) => ({ page, record: await this.store.records.get(page.censusNumber) })));
    if (mark !== null && this.mark === mark) this.holdersKept.set(imageId, holders);
    return holders;
  }

  /** The page behind an image id, if the actor may see it; `published` says whether anyone may. */
  private async visible(actor: Actor | null, imageId: string): Promise<{ page: Page; published: boolean }> {
    if (IMAGE_ID.test(imageId)) {
      for (const { page, record } of await this.holders(imageId)) {
        // RecordService.readable's rule, on the record remembered.
        if (record && can(actor, 'read', record)) return { page, published: record.status === 'published' };
      }
    }
    throw new NotFoundError(`Image ${imageId}`);
  }

  private async describe(imageId: string, page: Page) {
    let d = this.described.get(imageId);
    if (!d) {
      const sizes = await Promise.all(this.files.wholeImageCopies(imageId).map(async (file) => ({ ...(await this.renderer.dimensions(file)), file })));
      d = { sizes: sizes.filter((s) => s.width < page.width), tiles: await this.files.tileSets(imageId) };
      this.described.set(imageId, d);
    }
    return d;
  }

  async info(actor: Actor | null, imageId: string, id: string) {
    const { page, published } = await this.visible(actor, imageId);
    const { tiles } = await this.describe(imageId, page);
    return {
      info: imageInfo({ id, width: page.width, height: page.height, tiles, limits: this.limits, colorSpace: page.colorSpace }),
      published,
    };
  }

  /**
   * info.json of an image that only unpublished records hold, for a client that may not see it
   * (the IIIF Authorization Flow answers 401 with it and the services to sign in with, see
   * src/iiif/auth.ts); null when no record holds the image.
   */
  async withheldInfo(imageId: string, id: string) {
    const page = IMAGE_ID.test(imageId) ? (await this.holders(imageId))[0]?.page : undefined;
    if (!page) return null;
    const { tiles } = await this.describe(imageId, page);
    return imageInfo({ id, width: page.width, height: page.height, tiles, limits: this.limits, colorSpace: page.colorSpace });
  }

  async image(
    actor: Actor | null,
    imageId: string,
    parts: { region: string; size: string; rotation: string; qualityFormat: string },
    /** Aborted when the client has gone: a render still waiting for its turn is dropped. */
    signal?: AbortSignal,
  ): Promise<ImageAnswer> {
    const { page, published } = await this.visible(actor, imageId);
    const request = parseImageRequest(parts, page, this.limits);
    const plain = request.degrees === 0 && !request.mirror && request.format === 'jpg' && (request.quality === 'default' || request.quality === 'color');
    if (plain) {
      const { region: r, size: s } = request;
      const whole = r.x === 0 && r.y === 0 && r.w === page.width && r.h === page.height;
      const tile = this.files.tile(imageId, whole ? 'full' : r, s);
      if (tile) return { request, published, file: tile };
      if (whole) {
        const { sizes } = await this.describe(imageId, page);
        const made = sizes.find((z) => z.width === s.w && z.height === s.h);
        if (made) return { request, published, file: made.file };
      }
    }
    const folder = this.files.derivativesPath(imageId);
    const render = () => this.renders.run(() => this.renderer.render(folder, request, page), signal);
    const large = request.output.w * request.output.h > LARGE_RENDER_PIXELS;
    return { request, published, data: await (large ? this.largeRenders.run(render, signal) : render()) };
  }
}
