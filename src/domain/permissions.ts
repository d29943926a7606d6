/**
 * Who may do what: every role rule of the catalogue, declared once (docs/API.md, Roles). Each
 * service method asks `authorize` first, before it reads or computes anything from what it
 * guards (an answer computed first can leak through its refusal: issue 12's import oracle was a
 * diff made before the read check). The API tells the pages which actions the signed-in actor
 * may take (`GET /api/session`: those it may take somewhere; a record's `actions`: those it may
 * take on that record now), so the pages never restate these rules.
 *
 * What a record's status allows (which transitions apply, what a submission needs) is the
 * workflow's, not a permission: src/domain/workflow.ts, answered 409 when a permitted actor asks
 * for what does not apply.
 */
import type { CensusRecord, RecordStatus } from './census-record.js';
import { parseCensusNumber } from './census-number.js';
import { ForbiddenError, UnauthenticatedError } from './errors.js';
import { TRANSITIONS, type Actor, type Role, type TransitionAction } from './workflow.js';

type RecordLike = Pick<CensusRecord, 'status' | 'fields'>;

/** What exhibit rules look at: its address, its status and who wrote it. */
type ExhibitLike = { slug: string; status: string; createdBy: string };

/** What each action is taken on; `null` for actions on the catalogue as a whole. */
interface Resources {
  /** Read a record (drafts included, for those who may). */
  read: RecordLike;
  /** Register a record under this census number. */
  register: { censusNumber: string };
  /** Change a record's fields. */
  edit: RecordLike;
  submit: RecordLike;
  return: RecordLike;
  approve: RecordLike;
  publish: RecordLike;
  /** Take a published record out of the public catalogue (撤销发布). */
  withdraw: RecordLike;
  /** See the draft text of a record's pages (OCR, aligned, proofread): the public sees verified pages only. */
  readPageDrafts: RecordLike;
  /** Correct a record's page text, run OCR on it, align a known text to it. */
  correctText: RecordLike;
  /** Mark a page's text verified, or change a verified page. */
  verifyText: RecordLike;
  /** Read an exhibit (展览): published ones for everyone, drafts for staff. */
  readExhibit: ExhibitLike;
  /** Write a new exhibit. */
  createExhibit: null;
  /** Change an exhibit: its author while it is a draft or returned; reviewers and admins at any time. */
  editExhibit: ExhibitLike;
  /** Send an exhibit to review: its author, or an admin. */
  submitExhibit: ExhibitLike;
  /** Return or publish an exhibit: the review records go through. */
  reviewExhibit: ExhibitLike;
  /** Read who changed a record, when and how (whoever may read the record, else 404). */
  readHistory: { censusNumber: string };
  /** Add scans to a record, and set its pages' order and 册/卷 labels (by hand or by structure sheet). */
  uploadScans: RecordLike;
  editStructure: RecordLike;
  /** Send a census sheet (each row is then a register or an edit, checked as such). */
  importSheet: null;
  /** Read an import job and its report. */
  readImport: { createdBy: string };
  /** See how many records are in each review status (statistics). */
  readReviewStatus: null;
  /** See collecting units' addresses and contacts (often a private collector's home and phone). */
  readUnitDetails: null;
  manageUnits: null;
  /** Download a digitized record's BagIt bag (masters and metadata; reading the record is checked as well). */
  exportBag: { censusNumber: string };
  /** Make the open-data dump again now, rather than at its hour. */
  regenerateOpenData: null;
  /** Create, list, disable and enable accounts. */
  manageUsers: null;
  /** Read an account, set its password, end its sessions. */
  manageAccount: { username: string };
}
export type Action = keyof Resources;

/** Why not, and the 403's code when a client can act on something more precise than `forbidden`. */
export interface Refusal {
  reason: string;
  code?: string;
}

interface Permission<R> {
  /** The roles that may take the action at all; GET /api/session lists it for them. */
  roles: readonly Role[];
  /** What an anonymous reader may (only reading published records). */
  anonymous?: (resource: R) => boolean;
  /** Why this actor, of one of `roles`, may not take the action on this resource; null when they may. */
  on?: (actor: Actor, resource: R) => Refusal | null;
  /** The action in a refusal's message: "You may not {what}: {reason}." */
  what: (resource: R) => string;
  /** Why the roles left out may not (none when every role may). */
  others?: string;
}

const STAFF: readonly Role[] = ['surveyor', 'reviewer', 'admin'];
const UNITS: readonly Role[] = ['surveyor', 'admin'];
const REVIEW: readonly Role[] = ['reviewer', 'admin'];
const ADMIN: readonly Role[] = ['admin'];

/** Statuses in which the surveyor's unit may still change the record. */
const EDITABLE_BY_SURVEYOR: readonly RecordStatus[] = ['draft', 'returned'];

/** A surveyor belongs to one unit, named by its key `PPPPPP-UUUU`: the start of its census numbers. */
const ownsRecord = (actor: Actor, censusNumber: string): boolean =>
  actor.unit !== null && parseCensusNumber(censusNumber)?.unitKey === actor.unit;

const refused = (reason: string, code?: string): Refusal => (code ? { reason, code } : { reason });

/** A surveyor acts on the records of their own unit only. */
const ownUnit = (reason: string) => (actor: Actor, record: RecordLike): Refusal | null =>
  actor.role === 'surveyor' && !ownsRecord(actor, record.fields.censusNumber) ? refused(reason) : null;

/**
 * The scans and structure (its pages, their order and 册/卷 labels) of a record. Until the record
 * is published, admins and the holding unit's surveyors digitize it; the review that publishes it
 * sees the pages. A published record's pages go straight into its public manifest, with no review
 * after: so only those who publish — reviewers and admins — change them. Routing each page change
 * through a second review round would unpublish the book meanwhile or need drafts of pages, which
 * the catalogue does not keep; asking for the reviewer's role is the same rule at once.
 */
function digitizing(actor: Actor, record: RecordLike): Refusal | null {
  if (actor.role === 'admin') return null;
  if (record.status === 'published') {
    return actor.role === 'reviewer' ? null : refused(
      'the record is published and its pages show at once in the public manifest, so a reviewer or an admin changes its scans and structure',
      'reviewer_required',
    );
  }
  if (actor.role === 'surveyor' && ownsRecord(actor, record.fields.censusNumber)) return null;
  return refused("admins and the holding unit's surveyors digitize records until they are published");
}

const cn = (record: RecordLike) => record.fields.censusNumber;

/** The table: one row per action. */
const PERMISSIONS: { readonly [A in Action]: Permission<Resources[A]> } = {
  read: {
    roles: STAFF,
    anonymous: (record) => record.status === 'published',
    on: (actor, record) => (record.status === 'published' ? null : ownUnit("it is not your unit's record")(actor, record)),
    what: (record) => `read ${cn(record)}`,
  },
  register: {
    roles: UNITS,
    on: (actor, { censusNumber }) =>
      actor.role === 'surveyor' && !ownsRecord(actor, censusNumber) ? refused(`surveyors register records of their own unit (${actor.unit}) only`) : null,
    what: ({ censusNumber }) => `register ${censusNumber}`,
    others: 'reviewers do not register records',
  },
  edit: {
    roles: UNITS,
    on: (actor, record) => {
      if (actor.role === 'admin') return null;
      if (!ownsRecord(actor, cn(record))) return refused("surveyors edit only their own unit's records");
      if (!EDITABLE_BY_SURVEYOR.includes(record.status)) return refused(`the record is ${record.status}; surveyors edit drafts and returned records only`);
      return null;
    },
    what: (record) => `edit ${cn(record)}`,
    others: 'reviewers return or approve records; the surveyor or an admin edits them',
  },
  submit: {
    roles: UNITS,
    on: ownUnit("surveyors submit only their own unit's records"),
    what: (record) => `submit ${cn(record)}`,
    others: 'a reviewer may not submit records',
  },
  return: { roles: REVIEW, what: (record) => `return ${cn(record)}`, others: 'a surveyor may not return records' },
  approve: { roles: REVIEW, what: (record) => `approve ${cn(record)}`, others: 'a surveyor may not approve records' },
  publish: { roles: REVIEW, what: (record) => `publish ${cn(record)}`, others: 'a surveyor may not publish records' },
  withdraw: { roles: REVIEW, what: (record) => `withdraw ${cn(record)}`, others: 'a surveyor may not withdraw published records' },
  readPageDrafts: {
    roles: STAFF,
    on: (actor, record) => (record.status === 'published' ? null : ownUnit("it is not your unit's record")(actor, record)),
    what: (record) => `read the draft text of ${cn(record)}`,
  },
  correctText: {
    roles: STAFF,
    on: ownUnit("surveyors correct only their own unit's books"),
    what: (record) => `correct the text of ${cn(record)}`,
  },
  verifyText: {
    roles: STAFF,
    on: (actor) => (actor.role === 'surveyor' ? refused('a reviewer or an admin verifies pages, and changes a verified page', 'reviewer_required') : null),
    what: (record) => `verify the text of ${cn(record)}`,
  },
  readExhibit: {
    roles: STAFF,
    anonymous: (exhibit) => exhibit.status === 'published',
    what: (exhibit) => `read the exhibit ${exhibit.slug}`,
  },
  createExhibit: { roles: STAFF, what: () => 'write an exhibit' },
  editExhibit: {
    roles: STAFF,
    on: (actor, exhibit) => {
      if (actor.role !== 'surveyor') return null;
      if (exhibit.createdBy !== actor.username) return refused('only its author, a reviewer or an admin edits an exhibit');
      return EDITABLE_BY_SURVEYOR.includes(exhibit.status as RecordStatus) ? null : refused(`the exhibit is ${exhibit.status}; its author edits drafts and returned exhibits only`);
    },
    what: (exhibit) => `edit the exhibit ${exhibit.slug}`,
  },
  submitExhibit: {
    roles: STAFF,
    on: (actor, exhibit) => (actor.role === 'admin' || exhibit.createdBy === actor.username ? null : refused('its author or an admin submits an exhibit')),
    what: (exhibit) => `submit the exhibit ${exhibit.slug}`,
  },
  reviewExhibit: {
    roles: REVIEW,
    what: (exhibit) => `return or publish the exhibit ${exhibit.slug}`,
    others: 'a reviewer or an admin returns or publishes an exhibit',
  },
  readHistory: {
    roles: STAFF,
    what: ({ censusNumber }) => `read the history of ${censusNumber}`,
  },
  uploadScans: { roles: STAFF, on: digitizing, what: (record) => `change the scans or structure of ${cn(record)}` },
  editStructure: { roles: STAFF, on: digitizing, what: (record) => `change the scans or structure of ${cn(record)}` },
  importSheet: { roles: STAFF, what: () => 'import census sheets' },
  readImport: {
    roles: STAFF,
    on: (actor, job) => (actor.role === 'admin' || job.createdBy === actor.username ? null : refused('an import is shown to whoever started it and to admins')),
    what: () => 'read this import',
  },
  readReviewStatus: { roles: STAFF, what: () => 'count records by review status' },
  readUnitDetails: { roles: STAFF, what: () => "read collecting units' addresses and contacts" },
  manageUnits: { roles: ADMIN, what: () => 'register collecting units', others: 'only an admin registers collecting units' },
  exportBag: { roles: STAFF, what: ({ censusNumber }) => `download the bag of ${censusNumber}`, others: 'bags are for staff' },
  regenerateOpenData: { roles: ADMIN, what: () => 'make the open-data dump again', others: 'only an admin makes the open-data dump again' },
  manageUsers: { roles: ADMIN, what: () => 'manage accounts', others: 'only an admin creates, lists, disables and enables accounts' },
  manageAccount: {
    roles: STAFF,
    on: (actor, { username }) =>
      actor.role === 'admin' || actor.username === username ? null : refused("only an admin reads or changes another user's account"),
    what: ({ username }) => `manage the account ${username}`,
  },
};

/** The actions of the table, in its order. */
export const ACTIONS = Object.keys(PERMISSIONS) as Action[];

/** Why the actor may not take the action on the resource, or null when they may. */
export function refusal<A extends Action>(actor: Actor | null, action: A, resource: Resources[A]): Refusal | null {
  const p = PERMISSIONS[action] as Permission<Resources[A]>;
  if (!actor) return p.anonymous?.(resource) ? null : refused('sign in first');
  if (!p.roles.includes(actor.role)) return refused(p.others ?? `a ${actor.role} may not`);
  return p.on?.(actor, resource) ?? null;
}

export function can<A extends Action>(actor: Actor | null, action: A, resource: Resources[A]): boolean {
  return refusal(actor, action, resource) === null;
}

/**
 * The first line of a service method: throws 401 for an anonymous client refused, 403 (with the
 * refusal's code) for a signed-in one.
 */
export function authorize<A extends Action>(actor: Actor | null, action: A, resource: Resources[A]): void {
  const why = refusal(actor, action, resource);
  if (!why) return;
  const p = PERMISSIONS[action] as Permission<Resources[A]>;
  if (!actor) throw new UnauthenticatedError(`Sign in first to ${p.what(resource)}: POST /api/session.`);
  throw new ForbiddenError(`You may not ${p.what(resource)}: ${why.reason}.`, why.code);
}

/** Which records a list or a search shows the actor: published ones, their unit's, or all. */
export function readableScope(actor: Actor | null): 'published' | 'all' | { unit: string } {
  return !actor ? 'published' : actor.role === 'surveyor' ? { unit: actor.unit ?? '' } : 'all';
}

/** The actions the actor may take somewhere (by role): `GET /api/session` tells the pages. */
export function globalActions(actor: Actor): Action[] {
  return ACTIONS.filter((a) => PERMISSIONS[a].roles.includes(actor.role));
}

/** The record actions a record's JSON lists for the signed-in actor. */
export const ON_RECORD = ['edit', 'submit', 'return', 'approve', 'publish', 'withdraw', 'uploadScans', 'editStructure'] as const;
export type RecordAction = (typeof ON_RECORD)[number];

/**
 * What the actor may do to the record as it stands — permitted, and (for transitions) applicable
 * to its status — so that pages offer only what will be allowed.
 */
export function recordActions(actor: Actor, record: RecordLike): RecordAction[] {
  const applies = (action: RecordAction) => !(action in TRANSITIONS) || TRANSITIONS[action as TransitionAction].from.includes(record.status);
  return ON_RECORD.filter((action) => can(actor, action, record) && applies(action));
}
