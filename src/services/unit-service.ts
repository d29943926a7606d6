/** Collecting units (收藏单位): the `UUUU` of census numbers points at one of these. */
import { z } from 'zod';
import { PROVINCES } from '../domain/census-number.js';
import { NotFoundError } from '../domain/errors.js';
import { authorize, can } from '../domain/permissions.js';
import { datestampOf } from '../domain/oai-pmh.js';
import { parseOrThrow } from '../domain/validation.js';
import type { Actor } from '../domain/workflow.js';
import type { CatalogueStore, CollectingUnit } from '../ports/catalogue-store.js';

export const NewUnitSchema = z
  .object({
    code: z.string().regex(/^\d{4}$/, 'must be 4 digits').refine((c) => c !== '0000', 'must not be 0000'),
    name: z.string().refine((s) => s.trim().length > 0, 'must not be blank'),
    province: z.string().refine((p) => PROVINCES[p] !== undefined, 'must be a GB/T 2260 province-level code such as 430000'),
    kind: z.string().optional(),
    address: z.string().optional(),
    contact: z.string().optional(),
    ...agentFields(),
  })
  .strict();

/**
 * What an admin changes on a unit (its key stays): its details, whether it takes part, and how it
 * appears as the provider of its manifests (null clears a field).
 */
export const UnitChangeSchema = z
  .object({
    name: z.string().refine((s) => s.trim().length > 0, 'must not be blank').optional(),
    kind: z.string().nullable().optional(),
    address: z.string().nullable().optional(),
    contact: z.string().nullable().optional(),
    disabled: z.boolean().optional(),
    ...agentFields(),
  })
  .strict();

/** A web address a browser may follow: http or https, absolute, bounded. */
function webUrl() {
  return z.string().max(500).refine((u) => {
    try {
      return ['http:', 'https:'].includes(new URL(u).protocol);
    } catch {
      return false;
    }
  }, 'must be an absolute http or https URL');
}

/** The provider fields (CollectingUnit homepage, logo, identifier). */
function agentFields() {
  return {
    homepage: webUrl().nullable().optional(),
    logo: webUrl().nullable().optional(),
    // ISO 15511: a prefix (a country code, or a non-country one such as O-) and up to 16 characters in all.
    identifier: z.string().trim().min(1).max(100).nullable().optional(),
  };
}

export type PublicUnit = Pick<CollectingUnit, 'province' | 'code' | 'name' | 'kind' | 'homepage' | 'logo' | 'identifier'>;

const COLLECTION_FIELDS = ['name', 'homepage', 'logo', 'identifier'] as const;

export class UnitService {
  constructor(
    private readonly store: CatalogueStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(actor: Actor, body: unknown): Promise<CollectingUnit> {
    authorize(actor, 'manageUnits', null);
    const input = parseOrThrow(NewUnitSchema, body);
    const unit: CollectingUnit = {
      province: input.province,
      code: input.code,
      name: input.name,
      kind: input.kind ?? null,
      address: input.address ?? null,
      contact: input.contact ?? null,
      homepage: input.homepage ?? null,
      logo: input.logo ?? null,
      identifier: input.identifier ?? null,
      createdAt: this.now().toISOString(),
    };
    await this.store.units.create(unit);
    return unit;
  }

  /** A unit by its key `PPPPPP-UUUU`, as list() shows it to this reader. */
  async get(actor: Actor | null, key: string): Promise<CollectingUnit | PublicUnit> {
    const [province = '', code = ''] = key.split('-');
    const unit = /^\d{6}-\d{4}$/.test(key) ? await this.store.units.get(province, code) : null;
    if (!unit) throw new NotFoundError(`Unit ${key}`);
    return can(actor, 'readUnitDetails', null) ? unit : publicUnit(unit);
  }

  /**
   * Admin: changes a unit's details, disables it, or sets how it appears as the provider of its
   * manifests; its records stay as they are.
   */
  async change(actor: Actor, key: string, body: unknown): Promise<CollectingUnit> {
    authorize(actor, 'manageUnits', null);
    const change = parseOrThrow(UnitChangeSchema, body);
    const unit = (await this.get(actor, key)) as CollectingUnit;
    const changed: CollectingUnit = { ...unit, ...change };
    // What the unit's IIIF collection shows of it (its label and provider): a change there is an
    // Update in IIIF Change Discovery.
    if (COLLECTION_FIELDS.some((f) => (changed[f] ?? null) !== (unit[f] ?? null))) {
      const after = await this.store.records.countPublicChanges({ digitized: true });
      changed.collectionChanges = [...(unit.collectionChanges ?? []), { at: datestampOf(this.now()), after }];
    }
    if (!(await this.store.units.update(changed))) throw new NotFoundError(`Unit ${key}`);
    return changed;
  }

  /**
   * The units. Anonymous readers see what names a holder (province, code, name, kind); the
   * address and contact (often a private collector's home and phone) are for staff only.
   */
  async list(actor: Actor | null): Promise<(CollectingUnit | PublicUnit)[]> {
    const units = await this.store.units.list();
    return can(actor, 'readUnitDetails', null) ? units : units.map(publicUnit);
  }
}

const publicUnit = ({ province, code, name, kind, homepage, logo, identifier }: CollectingUnit): PublicUnit =>
  ({ province, code, name, kind, homepage: homepage ?? null, logo: logo ?? null, identifier: identifier ?? null });
