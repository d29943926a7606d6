/** IIIF Image API 3.0 request parsing, table-driven (https://iiif.io/api/image/3.0/). */
import { expect } from 'chai';
import { ImageFormatNotServedError, ImageRequestError } from '../../src/domain/errors.js';
import { parseImageRequest, turnedSize } from '../../src/iiif/image-request.js';

const image = { width: 1000, height: 2000 };
const limits = { maxWidth: 5000, maxHeight: 5000, maxArea: 10_000_000 };
const parse = (path: string) => {
  const [region, size, rotation, qualityFormat] = path.split('/') as [string, string, string, string];
  return parseImageRequest({ region, size, rotation, qualityFormat }, image, limits);
};

describe('IIIF image requests', () => {
  // request → region x,y,w,h | size w,h | mirror | degrees | canonical
  const table: [string, string, string, boolean, number, string][] = [
    ['full/max/0/default.jpg', '0,0,1000,2000', '1000,2000', false, 0, 'full/max/0/default.jpg'],
    ['square/max/0/default.jpg', '0,500,1000,1000', '1000,1000', false, 0, '0,500,1000,1000/max/0/default.jpg'],
    ['0,0,512,512/512,/0/default.jpg', '0,0,512,512', '512,512', false, 0, '0,0,512,512/max/0/default.jpg'],
    ['512,1536,512,512/488,/0/default.jpg', '512,1536,488,464', '488,464', false, 0, '512,1536,488,464/max/0/default.jpg'],
    ['pct:10,10,50,50/max/0/default.png', '100,200,500,1000', '500,1000', false, 0, '100,200,500,1000/max/0/default.png'],
    ['full/500,/0/default.jpg', '0,0,1000,2000', '500,1000', false, 0, 'full/500,1000/0/default.jpg'],
    ['full/,1000/0/default.jpg', '0,0,1000,2000', '500,1000', false, 0, 'full/500,1000/0/default.jpg'],
    ['full/pct:25/0/default.jpg', '0,0,1000,2000', '250,500', false, 0, 'full/250,500/0/default.jpg'],
    ['full/!500,500/0/default.jpg', '0,0,1000,2000', '250,500', false, 0, 'full/250,500/0/default.jpg'],
    // §4.2: !w,h is never larger than the region; ^!w,h may be.
    ['full/!2000,2000/0/default.jpg', '0,0,1000,2000', '1000,2000', false, 0, 'full/max/0/default.jpg'],
    ['full/!5000,3000/0/default.jpg', '0,0,1000,2000', '1000,2000', false, 0, 'full/max/0/default.jpg'],
    ['0,0,100,50/!1000,1000/0/default.jpg', '0,0,100,50', '100,50', false, 0, '0,0,100,50/max/0/default.jpg'],
    ['full/300,300/0/default.jpg', '0,0,1000,2000', '300,300', false, 0, 'full/300,300/0/default.jpg'],
    ['full/^2000,/0/default.jpg', '0,0,1000,2000', '2000,4000', false, 0, 'full/^2000,4000/0/default.jpg'],
    ['full/^!3000,3000/0/default.jpg', '0,0,1000,2000', '1500,3000', false, 0, 'full/^1500,3000/0/default.jpg'],
    ['full/^max/0/default.jpg', '0,0,1000,2000', '2236,4472', false, 0, 'full/^max/0/default.jpg'],
    ['full/max/90/gray.png', '0,0,1000,2000', '1000,2000', false, 90, 'full/max/90/gray.png'],
    ['full/max/!0/default.jpg', '0,0,1000,2000', '1000,2000', true, 0, 'full/max/!0/default.jpg'],
    ['full/max/22.50/color.webp', '0,0,1000,2000', '1000,2000', false, 22.5, 'full/max/22.5/color.webp'],
    ['full/max/360/bitonal.jpg', '0,0,1000,2000', '1000,2000', false, 0, 'full/max/0/bitonal.jpg'],
    ['900,1900,500,500/max/0/default.jpg', '900,1900,100,100', '100,100', false, 0, '900,1900,100,100/max/0/default.jpg'],
    // Limits hold for the image returned: ^max and ^!w,h turned by 45° fit its bounding box.
    ['0,0,1,1/^max/45/default.webp', '0,0,1,1', '2235,2235', false, 45, '0,0,1,1/^max/45/default.webp'],
    ['full/^max/45/gray.png', '0,0,1000,2000', '1490,2980', false, 45, 'full/^max/45/gray.png'],
    ['full/^!20000,20000/!45/default.jpg', '0,0,1000,2000', '1490,2980', true, 45, 'full/^max/!45/default.jpg'],
    ['full/^max/90/default.jpg', '0,0,1000,2000', '2236,4472', false, 90, 'full/^max/90/default.jpg'],
  ];
  it('names max and ^max in the canonical form when the limits make them other than the region (§4.8)', () => {
    const small = { maxWidth: 800, maxHeight: 800, maxArea: 640_000 };
    const at = (request: string) => parseImageRequest((([a, b, c, d]) => ({ region: a!, size: b!, rotation: c!, qualityFormat: d! }))(request.split('/')), image, small);
    // max is 400×800 here (maxHeight), not the region: it and its pixel size are max.
    expect([at('full/max/0/default.jpg'), at('full/400,800/0/default.jpg'), at('full/!5000,5000/0/default.jpg')].map((r) => [r.size, r.canonical])).to.deep.equal(
      Array(3).fill([{ w: 400, h: 800 }, 'full/max/0/default.jpg']),
    );
    expect(at('full/^max/0/default.jpg').canonical).to.equal('full/max/0/default.jpg');
    expect(at('0,0,100,100/^max/0/default.jpg').canonical).to.equal('0,0,100,100/^max/0/default.jpg');
    expect(at('0,0,100,100/^800,/0/default.jpg').canonical).to.equal('0,0,100,100/^max/0/default.jpg');
    expect(at('0,0,100,100/^700,/0/default.jpg').canonical).to.equal('0,0,100,100/^700,700/0/default.jpg');
  });

  for (const [request, region, size, mirror, degrees, canonical] of table) {
    it(request, () => {
      const r = parseImageRequest(
        (([a, b, c, d]) => ({ region: a!, size: b!, rotation: c!, qualityFormat: d! }))(request.split('/')),
        image,
        limits,
      );
      expect([`${r.region.x},${r.region.y},${r.region.w},${r.region.h}`, `${r.size.w},${r.size.h}`, r.mirror, r.degrees, r.canonical]).to.deep.equal([
        region, size, mirror, degrees, canonical,
      ]);
    });
  }

  const bad: [string, RegExp][] = [
    ['nowhere/max/0/default.jpg', /region/],
    ['0,0,0,10/max/0/default.jpg', /no width or height/],
    ['1000,0,10,10/max/0/default.jpg', /outside/],
    ['pct:x,0,10,10/max/0/default.jpg', /region/],
    ['full/2000,/0/default.jpg', /larger than the region/],
    ['full/!500/0/default.jpg', /IIIF size/],
    ['full/,/0/default.jpg', /IIIF size/],
    ['full/pct:0/0/default.jpg', /n > 0/],
    ['full/^6000,/0/default.jpg', /limits/],
    // Within the limits before rotation, past them after.
    ['full/^2236,/45/default.jpg', /4744×4744 px, over maxArea 10000000/],
    ['0,0,1,1/^3000,3000/45/default.png', /over maxArea/],
    ['full/^2400,4800/10/default.jpg', /over maxHeight 5000/],
    ['full/max/400/default.jpg', /rotation/],
    ['full/max/-90/default.jpg', /rotation/],
    ['full/max/0/best.jpg', /quality/],
    ['full/max/0/default.bmp', /not served/],
    ['full/max/0/default', /quality/],
  ];
  for (const [request, problem] of bad) {
    it(`refuses ${request}`, () => {
      expect(() => parse(request)).to.throw(ImageRequestError, problem);
    });
  }
  it('answers a format of §4.5 it does not make as not implemented (501), not as a bad request', () => {
    expect(() => parse('full/max/0/default.tif')).to.throw(ImageFormatNotServedError, /not served/);
  });

  it('makes max, ^max and ^!w,h as large as the limits allow at any angle, never larger', () => {
    for (const region of ['full', '0,0,1,1', '0,0,1000,7', '10,10,3,900']) {
      for (let degrees = 0; degrees < 360; degrees += 7.5) {
        for (const size of ['max', '^max', '^!100000,100000']) {
          const r = parse(`${region}/${size}/${degrees}/default.png`);
          const turned = turnedSize(r.size, r.degrees);
          expect(r.output, `${region}/${size}/${degrees}`).to.deep.equal(turned);
          expect(turned.w <= limits.maxWidth && turned.h <= limits.maxHeight && turned.w * turned.h <= limits.maxArea, `${region}/${size}/${degrees}`).to.equal(true);
          if (size !== 'max') {
            // As large as allowed: one per cent more would not fit.
            const bigger = turnedSize({ w: r.size.w * 1.01, h: r.size.h * 1.01 }, r.degrees);
            expect(bigger.w > limits.maxWidth || bigger.h > limits.maxHeight || bigger.w * bigger.h > limits.maxArea, `${region}/${size}/${degrees}`).to.equal(true);
          }
        }
      }
    }
  });
});
