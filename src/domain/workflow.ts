/**
 * Review (审校) in rounds, as the census platform runs it: a surveyor submits (提交), a reviewer
 * returns for revision (返修) or approves (通过), and approved records are published.
 * Who may do what: src/domain/permissions.ts (docs/API.md, Roles).
 */
import type { CensusRecord, RecordStatus } from './census-record.js';
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
  commentRequired: boolean;
}

/** Who may take each action is src/domain/permissions.ts's; here, what it does to the record. */
export const TRANSITIONS: Readonly<Record<TransitionAction, Transition>> = {
  submit: { from: ['draft', 'returned'], to: 'submitted', commentRequired: false },
  // A return without a reason leaves the surveyor guessing: the census platform asks for one.
  return: { from: ['submitted'], to: 'returned', commentRequired: true },
  approve: { from: ['submitted'], to: 'approved', commentRequired: false },
  publish: { from: ['approved'], to: 'published', commentRequired: false },
  // 撤销发布: a published record found wrong leaves the public catalogue until it is published
  // again; harvesters learn of it as a deleted record (OAI-PMH) or a Delete (IIIF Change
  // Discovery), so the reason is asked for as for a return.
  withdraw: { from: ['published'], to: 'approved', commentRequired: true },
};

/**
 * Why the transition does not apply to the record as it stands (409), or null when it does. Whether
 * the actor may take it at all (403) is asked first: src/domain/permissions.ts.
 */
export function transitionProblem(
  record: CensusRecord,
  action: TransitionAction,
  comment: string | undefined,
): { message: string; details: FieldProblem[] } | null {
  const t = TRANSITIONS[action];
  if (!t.from.includes(record.status)) {
    return {
      message: `Cannot ${action} a record that is ${record.status}; ${action} applies to ${t.from.join(' or ')} records.`,
      details: [{ field: 'action', problem: `not allowed from status ${record.status}` }],
    };
  }
  const details: FieldProblem[] = [];
  if (t.commentRequired && !comment?.trim()) details.push({ field: 'comment', problem: `is required to ${action} a record` });
  if (action === 'submit') {
    // The census platform makes 古籍定级 and 破损定级 mandatory before a record goes to review.
    if (!record.fields.grade) details.push({ field: 'grade', problem: 'is required to submit (古籍定级)' });
    if (!record.fields.damage) details.push({ field: 'damage', problem: 'is required to submit (破损定级)' });
  }
  return details.length > 0 ? { message: `The record cannot be ${t.to} yet.`, details } : null;
}
