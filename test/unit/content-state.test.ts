/** IIIF Content State 1.0 as the viewer and record pages read and write it (public/content-state.js). */
import { expect } from 'chai';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type Region = [number, number, number, number];
type Target = { manifest: string; canvas: string | null; region: Region | null };
let cs: {
  encodeContentState: (state: unknown) => string;
  contentStateFor: (t: { manifest: string; canvas?: string; region?: Region }) => unknown;
  parseContentState: (value: unknown) => Target;
  ContentStateError: new (message: string) => Error;
  MAX_CONTENT_STATE_LENGTH: number;
};

const M = 'https://guji.example/iiif/430000-0001-0000001/manifest';
const C3 = 'https://guji.example/iiif/430000-0001-0000001/canvas/3';
const b64url = (text: string) => Buffer.from(text).toString('base64url');

describe('IIIF content state', () => {
  before(async () => {
    cs = await import(pathToFileURL(path.resolve(import.meta.dirname, '../../public/content-state.js')).href);
  });

  it('encodes as base64url of the URI-encoded JSON, without padding (§6)', () => {
    const state = cs.contentStateFor({ manifest: M, canvas: C3, region: [10, 20, 300, 400] });
    const encoded = cs.encodeContentState(state);
    expect(encoded).to.match(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(decodeURIComponent(Buffer.from(encoded, 'base64url').toString()))).to.deep.equal(state);
    expect(state).to.deep.include({ type: 'Annotation', motivation: ['contentState'] });
    expect((state as any).target).to.deep.equal({ id: `${C3}#xywh=10,20,300,400`, type: 'Canvas', partOf: [{ id: M, type: 'Manifest' }] });
  });

  it('reads back a leaf, a region and a whole book', () => {
    const read = (t: Parameters<typeof cs.contentStateFor>[0]) => cs.parseContentState(cs.encodeContentState(cs.contentStateFor(t)));
    expect(read({ manifest: M, canvas: C3 })).to.deep.equal({ manifest: M, canvas: C3, region: null });
    expect(read({ manifest: M, canvas: C3, region: [1, 2, 3, 4] })).to.deep.equal({ manifest: M, canvas: C3, region: [1, 2, 3, 4] });
    expect(read({ manifest: M })).to.deep.equal({ manifest: M, canvas: null, region: null });
  });

  it('keeps Chinese text through the encoding', () => {
    const state = { ...(cs.contentStateFor({ manifest: M }) as object), label: { zh: ['欽定四庫全書簡明目錄'] } };
    expect(JSON.parse(decodeURIComponent(Buffer.from(cs.encodeContentState(state), 'base64url').toString())).label.zh[0]).to.equal('欽定四庫全書簡明目錄');
  });

  it('reads the other forms the specification allows', () => {
    // The target alone (§2.3), plain JSON, a SpecificResource with a FragmentSelector, a target list.
    expect(cs.parseContentState(b64url(encodeURIComponent(JSON.stringify({ id: M, type: 'Manifest' }))))).to.deep.equal({ manifest: M, canvas: null, region: null });
    const specific = { type: 'SpecificResource', source: { id: C3, type: 'Canvas', partOf: [{ id: M, type: 'Manifest' }] }, selector: { type: 'FragmentSelector', value: 'xywh=5,6,7,8' } };
    expect(cs.parseContentState(JSON.stringify({ type: 'Annotation', motivation: 'contentState', target: [specific] }))).to.deep.equal({ manifest: M, canvas: C3, region: [5, 6, 7, 8] });
    // Plain URLs: a manifest, and this catalogue's canvas (with a region).
    expect(cs.parseContentState(M)).to.deep.equal({ manifest: M, canvas: null, region: null });
    expect(cs.parseContentState(`${C3}#xywh=pixel:1,2,3,4`)).to.deep.equal({ manifest: M, canvas: C3, region: [1, 2, 3, 4] });
  });

  const hostile: [string, unknown, RegExp][] = [
    ['nothing', '', /empty/],
    ['not a string', 42, /empty/],
    ['too long', 'a'.repeat(5000), /longer than/],
    ['not base64url', 'abc$%^', /neither a URL, JSON nor base64url/],
    ['base64url of a wrong length', 'abcde', /neither/],
    ['base64url of no URI-encoding', b64url('%E0%A4%A'), /does not decode/],
    ['not JSON', b64url(encodeURIComponent('{not json')), /not JSON/],
    ['too deep', JSON.stringify({ type: 'Annotation', a: [[[[[[[[[[[1]]]]]]]]]]] }), /deeper than/],
    ['another motivation', JSON.stringify({ type: 'Annotation', motivation: 'painting', target: { id: M, type: 'Manifest' } }), /motivation/],
    ['a canvas of no manifest', JSON.stringify({ id: C3, type: 'Canvas' }), /partOf/],
    ['a javascript: manifest', JSON.stringify({ id: 'javascript:alert(1)', type: 'Manifest' }), /not an http/],
    ['a data: URL', 'data:text/html,<p>', /neither/],
    ['a region in percent', `${C3}#xywh=percent:1,2,3,4`, /whole pixels/],
    ['a region of no width', `${C3}#xywh=1,2,0,4`, /no width/],
    ['a region with a negative', `${C3}#xywh=-1,2,3,4`, /whole pixels/],
    ['an image, not a canvas', JSON.stringify({ id: 'https://x.example/i.jpg', type: 'Image' }), /neither a Manifest nor a Canvas/],
    ['another selector', JSON.stringify({ type: 'SpecificResource', source: { id: C3, type: 'Canvas', partOf: [{ id: M, type: 'Manifest' }] }, selector: { type: 'SvgSelector', value: '<svg/>' } }), /SvgSelector/],
  ];
  for (const [what, value, problem] of hostile) {
    it(`refuses ${what} with a reason`, () => {
      expect(() => cs.parseContentState(value)).to.throw(cs.ContentStateError, problem);
    });
  }
});
