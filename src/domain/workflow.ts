/**
 * Review (审校) in rounds, as the census platform runs it: a surveyor submits (提交), a reviewer
 * returns for revision (返修) or approves (通过), and approved records are published.
 * Who may do what: docs/API.md (Roles).
 */
import type { CensusRecord, RecordStatus } from './census-record.js';
import { parseCensusNumber } from './census-number.js';
import type { FieldProblem } from './errors.js';

export type Role = 'surveyor' | 'reviewer' | 'admin';
export const ROLES: readonly Role[] = ['surveyor', 'reviewer', 'admin'];

/** Who is acting. A surveyor belongs to one unit, named by its key `PPPPPP-UUUU`. */
export interface Actor {
  username: string;
  role: Role;
  unit: string | null;
}

export type TransitionAction = 'submit' | 'return' | 'approve' | 'publish' | 'withdraw';
export const TRANSITION_ACTIONS: readonly TransitionAction[] = ['submit', 'return', 'approve', 'publish', 'withdraw'];

interface Transition {
  from: readonly RecordStatus[];
  to: RecordStatus;
  roles: readonly Role[];
  commentRequired: boolean;
}

export const TRANSITIONS: Readonly<Record<TransitionAction, Transition>> = {
  submit: { from: ['draft', 'returned'], to: 'submitted', roles: ['surveyor', 'admin'], commentRequired: false },
  // A return without a reason leaves the surveyor guessing: the census platform asks for one.
  return: { from: ['submitted'], to: 'returned', roles: ['reviewer', 'admin'], commentRequired: true },
  approve: { from: ['submitted'], to: 'approved', roles: ['reviewer', 'admin'], commentRequired: false },
  publish: { from: ['approved'], to: 'published', roles: ['reviewer', 'admin'], commentRequired: false },
  // 撤销发布: a published record found wrong leaves the public catalogue until it is published
  // again; harvesters learn of it as a deleted record (OAI-PMH) or a Delete (IIIF Change
  // Discovery), so the reason is asked for as for a return.
  withdraw: { from: ['published'], to: 'approved', roles: ['reviewer', 'admin'], commentRequired: true },
};

/** Statuses in which the surveyor's unit may still change the record. */
const EDITABLE_BY_SURVEYOR: readonly RecordStatus[] = ['draft', 'returned'];

export const ownsRecord = (actor: Actor, censusNumber: string): boolean =>
  actor.unit !== null && parseCensusNumber(censusNumber)?.unitKey === actor.unit;

/** Anonymous readers see published records only; surveyors also their own unit's; staff everything. */
export function canRead(actor: Actor | null, record: Pick<CensusRecord, 'status' | 'fields'>): boolean {
  if (record.status === 'published') return true;
  if (!actor) return false;
  if (actor.role === 'surveyor') return ownsRecord(actor, record.fields.censusNumber);
  return true;
}

/** Why the actor may not edit the record, or null when they may. */
export function editRefusal(actor: Actor, record: Pick<CensusRecord, 'status' | 'fields'>): string | null {
  if (actor.role === 'admin') return null;
  if (actor.role === 'reviewer') return 'reviewers return or approve records; the surveyor or an admin edits them';
  if (!ownsRecord(actor, record.fields.censusNumber)) return 'surveyors edit only their own unit\'s records';
  if (!EDITABLE_BY_SURVEYOR.includes(record.status)) {
    return `the record is ${record.status}; surveyors edit drafts and returned records only`;
  }
  return null;
}

/**
 * Why the actor may not change the record's scans and structure (its pages, their order and
 * 册/卷 labels), with the refusal's code, or null when they may. Until the record is published,
 * admins and the holding unit's surveyors digitize it; the review that publishes it sees the
 * pages. A published record's pages go straight into its public manifest, with no review after:
 * so only those who publish — reviewers and admins — change them. Routing each page change
 * through a second review round would unpublish the book meanwhile or need drafts of pages,
 * which the catalogue does not keep; asking for the reviewer's role is the same rule at once.
 */
export function scanRefusal(actor: Actor, record: Pick<CensusRecord, 'status' | 'fields'>): { code: string; reason: string } | null {
  if (actor.role === 'admin') return null;
  if (record.status === 'published') {
    return actor.role === 'reviewer' ? null : {
      code: 'reviewer_required',
      reason: 'the record is published and its pages show at once in the public manifest, so a reviewer or an admin changes its scans and structure',
    };
  }
  if (actor.role === 'surveyor' && ownsRecord(actor, record.fields.censusNumber)) return null;
  return { code: 'forbidden', reason: "admins and the holding unit's surveyors digitize records until they are published" };
}

/** Why the actor may not register a record with this census number, or null. */
export function createRefusal(actor: Actor, censusNumber: string): string | null {
  if (actor.role === 'admin') return null;
  if (actor.role === 'reviewer') return 'reviewers do not register records';
  if (!ownsRecord(actor, censusNumber)) return `surveyors register records of their own unit (${actor.unit}) only`;
  return null;
}

export interface TransitionCheck {
  /** 403: the actor's role may not take this action at all. */
  forbidden?: string;
  /** 409: the action does not apply to the record as it stands. */
  invalid?: { message: string; details: FieldProblem[] };
}

export function checkTransition(
  actor: Actor,
  record: CensusRecord,
  action: TransitionAction,
  comment: string | undefined,
): TransitionCheck {
  const t = TRANSITIONS[action];
  if (!t.roles.includes(actor.role)) return { forbidden: `a ${actor.role} may not ${action} records` };
  if (actor.role === 'surveyor' && !ownsRecord(actor, record.fields.censusNumber)) {
    return { forbidden: "surveyors submit only their own unit's records" };
  }
  if (!t.from.includes(record.status)) {
    return {
      invalid: {
        message: `Cannot ${action} a record that is ${record.status}; ${action} applies to ${t.from.join(' or ')} records.`,
        details: [{ field: 'action', problem: `not allowed from status ${record.status}` }],
      },
    };
  }
  const details: FieldProblem[] = [];
  if (t.commentRequired && !comment?.trim()) details.push({ field: 'comment', problem: `is required to ${action} a record` });
  if (action === 'submit') {
    // The census platform makes 古籍定级 and 破损定级 mandatory before a record goes to review.
    if (!record.fields.grade) details.push({ field: 'grade', problem: 'is required to submit (古籍定级)' });
    if (!record.fields.damage) details.push({ field: 'damage', problem: 'is required to submit (破损定级)' });
  }
  if (details.length > 0) {
    return { invalid: { message: `The record cannot be ${t.to} yet.`, details } };
  }
  return {};
}

/** What the actor may do to the record as it stands, so that pages offer only what will be allowed. */
export function availableActions(actor: Actor, record: CensusRecord): ('edit' | TransitionAction)[] {
  const actions: ('edit' | TransitionAction)[] = editRefusal(actor, record) ? [] : ['edit'];
  for (const action of TRANSITION_ACTIONS) {
    if (!checkTransition(actor, record, action, undefined).forbidden && TRANSITIONS[action].from.includes(record.status)) actions.push(action);
  }
  return actions;
}
