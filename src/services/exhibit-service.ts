/**
 * Exhibitions: staff write them, a reviewer publishes them (the review records go through),
 * the public reads the published ones. Every item is checked and resolved when the exhibit is
 * saved — a book of this catalogue must be published, another site's manifest must be readable
 * and hold the leaf named, a region must lie inside its leaf — so that a published exhibit never
 * points at what the public cannot see, and its page and manifest are drawn without fetching.
 */
import { z } from 'zod';
import { censusNumberProblem } from '../domain/census-number.js';
import {
  AppError, InvalidTransitionError, NotFoundError, UnauthenticatedError, ValidationError, VersionMismatchError,
  type FieldProblem,
} from '../domain/errors.js';
import {
  EXHIBIT_LIMITS, ExhibitInputSchema, regionOf,
  type Exhibit, type ExhibitHistoryEntry, type ExhibitItemInput, type ExhibitStatus, type ResolvedItem,
} from '../domain/exhibit.js';
import { authorize, can } from '../domain/permissions.js';
import { parseOrThrow } from '../domain/validation.js';
import type { Actor } from '../domain/workflow.js';
import { manifestId, pageLabel } from '../iiif/manifest.js';
import type { CatalogueStore } from '../ports/catalogue-store.js';
import type { ExhibitStore } from '../ports/exhibit-store.js';
import { RemoteManifestError, type RemoteManifests } from '../ports/remote-manifests.js';
import type { RecordService } from './record-service.js';

/** The list's filters, as src/http/schemas/exhibits.ts parses them. */
export interface ExhibitListQuery {
  status?: ExhibitStatus[];
  page: number;
  pageSize: number;
}

export const EXHIBIT_ACTIONS = ['submit', 'return', 'publish'] as const;
export type ExhibitAction = (typeof EXHIBIT_ACTIONS)[number];

export const ExhibitTransitionSchema = z.object({ action: z.enum(EXHIBIT_ACTIONS), comment: z.string().max(4000).optional() }).strict();


/** Other sites' manifests read for one exhibit at most: each is a fetch of up to GUJI_EXHIBIT_FETCH_SECONDS. */
export const MAX_REMOTE_MANIFESTS = 20;

/**
 * Who may do what to an exhibit — in one place, to move into the permissions module whole.
 * Any staff member writes exhibits; the author edits and submits a draft or a returned one;
 * reviewers and admins return, publish, and edit at any status (as they may publish it).
 */
// Who may do what with exhibits is src/domain/permissions.ts's (readExhibit, createExhibit,
// editExhibit, submitExhibit, reviewExhibit).
/** The permission each transition asks for. */
const ASKS = { submit: 'submitExhibit', return: 'reviewExhibit', publish: 'reviewExhibit' } as const;
const FLOW: Record<ExhibitAction, { from: readonly ExhibitStatus[]; to: ExhibitStatus }> = {
  submit: { from: ['draft', 'returned'], to: 'submitted' },
  return: { from: ['submitted'], to: 'returned' },
  publish: { from: ['submitted'], to: 'published' },
};

/** An item refused for what it points at: the first problem's code, every problem's field. */
export class ExhibitItemError extends AppError {
  constructor(problems: (FieldProblem & { code: string })[]) {
    super(422, problems[0]!.code, `An item cannot be shown: ${problems[0]!.problem}.`, problems.map(({ field, problem }) => ({ field, problem })));
  }
}

type Problem = FieldProblem & { code: string };
const first = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return first(value[0]);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('@value' in o) return first(o['@value']);
    return first(Object.values(o)[0]);
  }
  return '';
};
const idOf = (o: Record<string, unknown> | undefined) => String(o?.id ?? o?.['@id'] ?? '');

/** A leaf of another site's manifest (Presentation 3.0 or 2.x), as an exhibit item needs it. */
interface RemoteCanvas { id: string; label: string; width: number; height: number; service: ResolvedItem['service']; image: string }

function canvasesOf(json: unknown): { label: string; canvases: RemoteCanvas[] } | null {
  if (!json || typeof json !== 'object') return null;
  const m = json as Record<string, unknown>;
  const v3 = Array.isArray(m.items);
  const raw = (v3 ? m.items : (m.sequences as Record<string, unknown>[] | undefined)?.[0]?.canvases) as Record<string, unknown>[] | undefined;
  if (!Array.isArray(raw)) return null;
  const canvases = raw.slice(0, 10_000).flatMap((c): RemoteCanvas[] => {
    const body = v3
      ? [((c.items as Record<string, unknown>[] | undefined)?.[0]?.items as Record<string, unknown>[] | undefined)?.[0]?.body].flat()[0] as Record<string, unknown> | undefined
      : (c.images as Record<string, unknown>[] | undefined)?.[0]?.resource as Record<string, unknown> | undefined;
    const service = [body?.service].flat()[0] as Record<string, unknown> | undefined;
    const width = Number(c.width);
    const height = Number(c.height);
    if (!idOf(c) || !(width > 0) || !(height > 0) || !body) return [];
    const type = String(service?.type ?? service?.['@type'] ?? '');
    const profile = first(service?.profile);
    return [{
      id: idOf(c), label: first(c.label), width, height, image: idOf(body),
      service: service && idOf(service) ? { id: idOf(service).replace(/\/$/, ''), type: type === 'ImageService3' ? 'ImageService3' : 'ImageService2', profile: profile || 'level1' } : null,
    }];
  });
  return { label: first(m.label), canvases };
}

export class ExhibitService {
  constructor(
    private readonly exhibits: ExhibitStore,
    private readonly catalogue: CatalogueStore,
    private readonly records: RecordService,
    private readonly remote: RemoteManifests,
    private readonly baseUrl: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(actor: Actor, body: unknown): Promise<Exhibit> {
    authorize(actor, 'createExhibit', null);
    const input = parseOrThrow(ExhibitInputSchema, body);
    const at = this.now().toISOString();
    const exhibit: Exhibit = {
      ...input, sections: await this.resolveSections(input.sections), status: 'draft', version: 1,
      createdAt: at, createdBy: actor.username, updatedAt: at, updatedBy: actor.username,
    };
    await this.exhibits.create(exhibit, this.entry(exhibit, actor, 'create', null));
    return exhibit;
  }

  async update(actor: Actor, slug: string, body: unknown, expectedVersion: number): Promise<Exhibit> {
    const current = await this.readable(actor, slug);
    authorize(actor, 'editExhibit', current);
    if (current.version !== expectedVersion) throw new VersionMismatchError(`"v${current.version}"`);
    const input = parseOrThrow(ExhibitInputSchema, body);
    if (input.slug !== slug) throw new ValidationError([{ field: 'slug', problem: `must stay ${slug}; an exhibit's address never changes` }]);
    const next: Exhibit = {
      ...current, ...input, cover: input.cover, sections: await this.resolveSections(input.sections),
      version: current.version + 1, updatedAt: this.now().toISOString(), updatedBy: actor.username,
    };
    await this.exhibits.replace(next, expectedVersion, this.entry(next, actor, 'update', null));
    return next;
  }

  async transition(actor: Actor, slug: string, body: unknown, expectedVersion?: number): Promise<Exhibit> {
    const { action, comment } = parseOrThrow(ExhibitTransitionSchema, body);
    const current = await this.readable(actor, slug);
    if (expectedVersion !== undefined && current.version !== expectedVersion) throw new VersionMismatchError(`"v${current.version}"`);
    authorize(actor, ASKS[action], current);
    if (!FLOW[action].from.includes(current.status)) {
      throw new InvalidTransitionError(`Cannot ${action} an exhibit that is ${current.status}.`, [{ field: 'action', problem: `not allowed from status ${current.status}` }]);
    }
    if (action === 'return' && !comment?.trim()) throw new InvalidTransitionError('Say why the exhibit is returned.', [{ field: 'comment', problem: 'is required to return an exhibit' }]);
    // Books may have been withdrawn since the exhibit was saved: publishing checks them again.
    const sections = action === 'publish' ? await this.resolveSections(current.sections) : current.sections;
    const next: Exhibit = { ...current, sections, status: FLOW[action].to, version: current.version + 1, updatedAt: this.now().toISOString(), updatedBy: actor.username };
    await this.exhibits.replace(next, current.version, this.entry(next, actor, action, comment ?? null));
    return next;
  }

  /** An exhibit the actor may see; 404 otherwise, so drafts do not reveal that they exist. */
  async readable(actor: Actor | null, slug: string): Promise<Exhibit> {
    const exhibit = await this.exhibits.get(slug);
    if (!exhibit || !can(actor, 'readExhibit', exhibit)) throw new NotFoundError(`Exhibit ${slug}`);
    return exhibit;
  }

  async history(actor: Actor | null, slug: string): Promise<ExhibitHistoryEntry[]> {
    if (!actor) throw new UnauthenticatedError('The history of an exhibit is for staff; sign in first.');
    await this.readable(actor, slug);
    return this.exhibits.history(slug);
  }

  async list(actor: Actor | null, query: ExhibitListQuery): Promise<{ exhibits: Exhibit[]; total: number }> {
    const statuses = actor ? query.status : ['published' as const];
    return this.exhibits.list({ ...(statuses ? { statuses } : {}), offset: (query.page - 1) * query.pageSize, limit: query.pageSize });
  }

  /** What the actor may do to the exhibit now, so that pages offer only what will be allowed. */
  actions(actor: Actor, exhibit: Exhibit): ('edit' | ExhibitAction)[] {
    return [
      ...(can(actor, 'editExhibit', exhibit) ? ['edit' as const] : []),
      ...EXHIBIT_ACTIONS.filter((a) => can(actor, ASKS[a], exhibit) && FLOW[a].from.includes(exhibit.status)),
    ];
  }

  private async resolveSections(sections: { title: string; text: string; items: ExhibitItemInput[] }[]): Promise<Exhibit['sections']> {
    const count = sections.reduce((n, s) => n + s.items.length, 0);
    if (count > EXHIBIT_LIMITS.items) throw new ValidationError([{ field: 'sections', problem: `hold ${count} items; an exhibit holds at most ${EXHIBIT_LIMITS.items}` }]);
    const problems: Problem[] = [];
    const fetched = new Map<string, Promise<unknown>>();
    const out: Exhibit['sections'] = [];
    for (const [s, section] of sections.entries()) {
      const items = [];
      for (const [i, raw] of section.items.entries()) {
        const { resolved: _, ...item } = raw as ExhibitItemInput & { resolved?: unknown };
        const result = await this.resolve(item, `sections.${s}.items.${i}`, fetched);
        if ('code' in result) problems.push(result);
        else items.push({ ...item, resolved: result });
      }
      out.push({ title: section.title, text: section.text, items });
    }
    if (problems.length > 0) throw new ExhibitItemError(problems);
    return out;
  }

  /** An item as it will be shown, or the problem with it. */
  private async resolve(item: ExhibitItemInput, at: string, fetched: Map<string, Promise<unknown>>): Promise<ResolvedItem | Problem> {
    // This catalogue's own manifest and canvas URLs are its books: the same checks as by census number.
    const own = item.manifest && new RegExp(`^${this.baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/iiif/([^/]+)/manifest$`).exec(item.manifest);
    if (item.censusNumber || own) {
      const cn = item.censusNumber ?? own![1]!;
      const canvas = typeof item.canvas === 'string' ? Number(/\/iiif\/[^/]+\/canvas\/(\d+)$/.exec(item.canvas)?.[1] ?? NaN) : item.canvas;
      return this.resolveOwn(cn, canvas, item, at);
    }
    if (!fetched.has(item.manifest!) && fetched.size >= MAX_REMOTE_MANIFESTS) {
      return { field: `${at}.manifest`, code: 'too_many_manifests', problem: `an exhibit draws on at most ${MAX_REMOTE_MANIFESTS} other sites' manifests` };
    }
    if (!fetched.has(item.manifest!)) fetched.set(item.manifest!, this.remote.fetch(item.manifest!).catch((e: unknown) => e));
    const json = await fetched.get(item.manifest!);
    if (json instanceof RemoteManifestError) return { field: `${at}.manifest`, code: 'manifest_unreachable', problem: `could not be read: ${json.message}` };
    if (json instanceof Error) throw json;
    const manifest = canvasesOf(json);
    if (!manifest || manifest.canvases.length === 0) return { field: `${at}.manifest`, code: 'manifest_invalid', problem: 'is not a IIIF manifest with images on its canvases' };
    const canvas = item.canvas === undefined
      ? manifest.canvases[0]
      : typeof item.canvas === 'number' ? manifest.canvases[item.canvas - 1] : manifest.canvases.find((c) => c.id === item.canvas);
    if (!canvas) return { field: `${at}.canvas`, code: 'canvas_not_found', problem: 'is not a canvas of the manifest' };
    return this.withRegion(item, at, {
      manifest: item.manifest!, label: manifest.label, homepage: null, canvas: canvas.id, canvasLabel: canvas.label,
      width: canvas.width, height: canvas.height, service: canvas.service, image: canvas.image, region: null, whole: item.canvas === undefined,
    });
  }

  private async resolveOwn(cn: string, sequence: number | undefined, item: ExhibitItemInput, at: string): Promise<ResolvedItem | Problem> {
    const field = `${at}.${item.censusNumber ? 'censusNumber' : 'manifest'}`;
    if (censusNumberProblem(cn)) return { field, code: 'validation_failed', problem: censusNumberProblem(cn)! };
    const record = await this.records.readable(null, cn).catch((e: unknown) => {
      if (e instanceof NotFoundError) return null;
      throw e;
    });
    if (!record) return { field, code: 'record_not_published', problem: `${cn} is not a published record of this catalogue` };
    const pages = await this.catalogue.pages.list(cn);
    if (pages.length === 0) return { field, code: 'record_not_digitized', problem: `${cn} has no scanned leaves` };
    const page = sequence === undefined ? pages[0] : pages.find((p) => p.sequence === sequence);
    if (!page) return { field: `${at}.canvas`, code: 'canvas_not_found', problem: `${cn} has no leaf ${String(item.canvas)}` };
    const service = `${this.baseUrl}/iiif/3/${page.imageId}`;
    return this.withRegion(item, at, {
      manifest: manifestId(this.baseUrl, cn), label: record.fields.titleStatement, homepage: `${this.baseUrl}/records/${cn}`,
      canvas: `${this.baseUrl}/iiif/${cn}/canvas/${page.sequence}`, canvasLabel: pageLabel(page), width: page.width, height: page.height,
      service: { id: service, type: 'ImageService3', profile: 'level2' }, image: `${service}/full/max/0/default.jpg`, region: null, whole: sequence === undefined,
    });
  }

  private withRegion(item: ExhibitItemInput, at: string, resolved: ResolvedItem): ResolvedItem | Problem {
    const region = regionOf(item.xywh);
    if (region && (region[0] + region[2] > resolved.width || region[1] + region[3] > resolved.height)) {
      return { field: `${at}.xywh`, code: 'region_outside_image', problem: `${item.xywh} reaches outside the leaf, which is ${resolved.width}×${resolved.height} px` };
    }
    return { ...resolved, region };
  }

  private entry(exhibit: Exhibit, actor: Actor, action: ExhibitHistoryEntry['action'], comment: string | null): ExhibitHistoryEntry {
    return { slug: exhibit.slug, at: exhibit.updatedAt, actor: actor.username, action, version: exhibit.version, comment };
  }
}
