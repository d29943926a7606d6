/** Collecting units (收藏单位): the `UUUU` of census numbers points at one of these. */
import { z } from 'zod';
import { PROVINCES } from '../domain/census-number.js';
import { NotFoundError } from '../domain/errors.js';
import { authorize, can } from '../domain/permissions.js';
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
  })
  .strict();

/** What an admin changes on a unit: its details, or whether it takes part (its key stays). */
export const UnitChangeSchema = z
  .object({
    name: z.string().refine((s) => s.trim().length > 0, 'must not be blank').optional(),
    kind: z.string().nullable().optional(),
    address: z.string().nullable().optional(),
    contact: z.string().nullable().optional(),
    disabled: z.boolean().optional(),
  })
  .strict();

export type PublicUnit = Pick<CollectingUnit, 'province' | 'code' | 'name' | 'kind'>;

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
      createdAt: this.now().toISOString(),
    };
    await this.store.units.create(unit);
    return unit;
  }

  /** Admin: changes a unit's details or disables it (`key` is `PPPPPP-UUUU`); its records stay as they are. */
  async change(actor: Actor, key: string, body: unknown): Promise<CollectingUnit> {
    authorize(actor, 'manageUnits', null);
    const change = parseOrThrow(UnitChangeSchema, body);
    const [province = '', code = ''] = key.split('-');
    const unit = await this.store.units.get(province, code);
    if (!unit) throw new NotFoundError(`Unit ${key}`);
    const changed: CollectingUnit = { ...unit, ...change };
    if (!(await this.store.units.update(changed))) throw new NotFoundError(`Unit ${key}`);
    return changed;
  }

  /**
   * The units. Anonymous readers see what names a holder (province, code, name, kind); the
   * address and contact (often a private collector's home and phone) are for staff only.
   */
  async list(actor: Actor | null): Promise<(CollectingUnit | PublicUnit)[]> {
    const units = await this.store.units.list();
    return can(actor, 'readUnitDetails', null) ? units : units.map(({ province, code, name, kind }) => ({ province, code, name, kind }));
  }
}
