/** GET /api/schema: the field and facet tables the pages draw their form, record and facets from. */
import { expect } from 'chai';
import { RecordFieldsSchema } from '../../src/domain/census-record.js';
import { HEADINGS } from '../../src/domain/census-sheet.js';
import { FACETS } from '../../src/domain/facets.js';
import { startTestServer, type TestServer } from '../support/http.js';

describe('schema API', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('lists every census field with its labels, required ones marked, and every facet', async () => {
    const res = await server.call('GET', '/api/schema');
    expect(res.status).to.equal(200);
    const { fields, facets } = res.body as {
      fields: { key: string; label: { zh: string; en: string }; required: boolean; form: { kind?: string } | null; sheetColumn: boolean }[];
      facets: { name: string; label: { zh: string; en: string }; counted: string; valueLabels: Record<string, unknown> }[];
    };
    // Every key a record takes, and each part the form edits (damage.grade).
    const keys = fields.map((f) => f.key);
    expect(keys).to.include.members(Object.keys(RecordFieldsSchema.shape));
    expect(keys).to.include.members(['damage.grade', 'damage.types', 'partOf.work', 'presentation.rights']);
    for (const f of fields) expect(f.label.zh && f.label.en, f.key).to.be.a('string');
    expect(fields.filter((f) => f.required).map((f) => f.key)).to.deep.equal(['censusNumber', 'callNumber', 'titleStatement', 'editionStatement', 'volumeCount', 'holdingUnit']);
    // The sheet's columns are the fields that declare one, under their Chinese labels.
    expect(fields.filter((f) => f.sheetColumn).map((f) => f.label.zh)).to.deep.equal(HEADINGS);
    // A key the form edits through its parts is not in the form itself; every other key but 批校题跋 is.
    const inForm = new Set(fields.filter((f) => f.form).map((f) => f.key.split('.')[0]));
    expect(Object.keys(RecordFieldsSchema.shape).filter((k) => !inForm.has(k))).to.deep.equal(['annotations']);
    expect(facets.map((f) => f.name)).to.deep.equal([...FACETS]);
    expect(facets.find((f) => f.name === 'status')).to.deep.include({ counted: 'staff' });
    expect(Object.keys(facets.find((f) => f.name === 'status')!.valueLabels)).to.deep.equal(['draft', 'submitted', 'returned', 'approved', 'published']);
    // What a page editing a record leaves out: cover too (the form's own list lacked it).
    expect(res.body.readOnlyKeys).to.include.members(['derived', 'status', 'pageCount', 'cover']);
    expect(res.headers.get('cache-control')).to.equal('public, max-age=300');
  });
});
