/**
 * The permission table (src/domain/permissions.ts) cell by cell: each action against anonymous,
 * a surveyor of the record's unit, a surveyor of another unit, a reviewer and an admin, on a
 * record in each status where the record matters. The role matrix (test/integration) asks the
 * same of every route through HTTP; this asks the table itself, status by status.
 */
import { expect } from 'chai';
import type { RecordStatus } from '../../src/domain/census-record.js';
import { ForbiddenError, UnauthenticatedError } from '../../src/domain/errors.js';
import { ACTIONS, authorize, can, globalActions, readableScope, recordActions, type Action } from '../../src/domain/permissions.js';
import type { Actor } from '../../src/domain/workflow.js';

const CN = '430000-0001-0000001';
const ACTORS: (Actor | null)[] = [
  null,
  { username: 'own', role: 'surveyor', unit: '430000-0001' },
  { username: 'other', role: 'surveyor', unit: '430000-0002' },
  { username: 'reviewer', role: 'reviewer', unit: null },
  { username: 'admin', role: 'admin', unit: null },
];
const NAMES = ['anonymous', 'own surveyor', 'other surveyor', 'reviewer', 'admin'];
const record = (status: RecordStatus) => ({ status, fields: { censusNumber: CN } }) as Parameters<typeof recordActions>[1];

// Y: may; n: may not. Columns as ACTORS.
const ON_RECORD: [Action, RecordStatus, string][] = [
  ['read', 'draft', 'nYnYY'],
  ['read', 'submitted', 'nYnYY'],
  ['read', 'published', 'YYYYY'],
  ['edit', 'draft', 'nYnnY'],
  ['edit', 'returned', 'nYnnY'],
  ['edit', 'submitted', 'nnnnY'],
  ['edit', 'published', 'nnnnY'],
  ['submit', 'draft', 'nYnnY'],
  ['return', 'submitted', 'nnnYY'],
  ['approve', 'submitted', 'nnnYY'],
  ['publish', 'approved', 'nnnYY'],
  ['withdraw', 'published', 'nnnYY'],
  ['readPageDrafts', 'draft', 'nYnYY'],
  ['readPageDrafts', 'published', 'nYYYY'],
  ['correctText', 'draft', 'nYnYY'],
  ['correctText', 'published', 'nYnYY'],
  ['verifyText', 'published', 'nnnYY'],
  ['uploadScans', 'draft', 'nYnnY'],
  ['uploadScans', 'approved', 'nYnnY'],
  ['uploadScans', 'published', 'nnnYY'],
  ['editStructure', 'submitted', 'nYnnY'],
  ['editStructure', 'published', 'nnnYY'],
];

describe('permissions: can(actor, action, resource)', () => {
  for (const [action, status, cells] of ON_RECORD) {
    it(`${action} on a ${status} record: ${cells}`, () => {
      const got = ACTORS.map((a) => (can(a, action, record(status) as never) ? 'Y' : 'n')).join('');
      expect(got, NAMES.join(' ')).to.equal(cells);
    });
  }

  const OTHERS: [Action, unknown, string][] = [
    ['register', { censusNumber: CN }, 'nYnnY'],
    ['readHistory', { censusNumber: CN }, 'nYYYY'],
    ['importSheet', null, 'nYYYY'],
    ['readImport', { createdBy: 'own' }, 'nYnnY'],
    ['readReviewStatus', null, 'nYYYY'],
    ['readUnitDetails', null, 'nYYYY'],
    ['manageUnits', null, 'nnnnY'],
    ['exportBag', { censusNumber: CN }, 'nYYYY'],
    ['regenerateOpenData', null, 'nnnnY'],
    ['createExhibit', null, 'nYYYY'],
    ['readExhibit', { slug: 'x', status: 'draft', createdBy: 'own' }, 'nYYYY'],
    ['readExhibit', { slug: 'x', status: 'published', createdBy: 'own' }, 'YYYYY'],
    ['editExhibit', { slug: 'x', status: 'draft', createdBy: 'own' }, 'nYnYY'],
    ['editExhibit', { slug: 'x', status: 'submitted', createdBy: 'own' }, 'nnnYY'],
    ['submitExhibit', { slug: 'x', status: 'draft', createdBy: 'own' }, 'nYnnY'],
    ['reviewExhibit', { slug: 'x', status: 'submitted', createdBy: 'own' }, 'nnnYY'],
    ['manageUsers', null, 'nnnnY'],
    ['manageAccount', { username: 'own' }, 'nYnnY'],
  ];
  for (const [action, resource, cells] of OTHERS) {
    it(`${action} on ${JSON.stringify(resource)}: ${cells}`, () => {
      expect(ACTORS.map((a) => (can(a, action, resource as never) ? 'Y' : 'n')).join(''), NAMES.join(' ')).to.equal(cells);
    });
  }

  it('has a row for every action of the table', () => {
    const tested = new Set([...ON_RECORD.map((r) => r[0]), ...OTHERS.map((r) => r[0])]);
    expect(ACTIONS.filter((a) => !tested.has(a))).to.deep.equal([]);
  });

  it('refuses with 401 for anonymous clients, 403 with the refusal and its code for others', () => {
    expect(() => authorize(null, 'edit', record('draft'))).to.throw(UnauthenticatedError);
    expect(() => authorize(ACTORS[3]!, 'edit', record('draft'))).to.throw(ForbiddenError, `You may not edit ${CN}: reviewers return or approve records`);
    expect(() => authorize(ACTORS[1]!, 'uploadScans', record('published')))
      .to.throw(ForbiddenError).with.property('code', 'reviewer_required');
    expect(() => authorize(ACTORS[2]!, 'register', { censusNumber: CN }))
      .to.throw(ForbiddenError, 'surveyors register records of their own unit (430000-0002) only');
    expect(() => authorize(ACTORS[4]!, 'manageUsers', null)).not.to.throw();
  });

  it('lists the actions a record allows now: permitted, and applicable to its status', () => {
    expect(recordActions(ACTORS[1]!, record('draft'))).to.deep.equal(['edit', 'submit', 'uploadScans', 'editStructure']);
    expect(recordActions(ACTORS[3]!, record('submitted'))).to.deep.equal(['return', 'approve']);
    expect(recordActions(ACTORS[4]!, record('approved'))).to.deep.equal(['edit', 'publish', 'uploadScans', 'editStructure']);
    expect(recordActions(ACTORS[2]!, record('draft'))).to.deep.equal([]);
  });

  it('lists the actions a role may take somewhere, for the pages', () => {
    expect(globalActions(ACTORS[1]!)).to.include.members(['register', 'edit', 'submit', 'uploadScans', 'importSheet']);
    expect(globalActions(ACTORS[1]!)).not.to.include('approve');
    expect(globalActions(ACTORS[3]!)).not.to.include('register');
    expect(globalActions(ACTORS[4]!)).to.deep.equal(ACTIONS);
  });

  it('scopes lists and searches: published to anonymous readers, the unit to surveyors, all to the others', () => {
    expect(ACTORS.map(readableScope)).to.deep.equal(['published', { unit: '430000-0001' }, { unit: '430000-0002' }, 'all', 'all']);
  });
});
