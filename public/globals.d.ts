// The globals of the vendor scripts the pages load (/vendor/mirador.min.js, /vendor/uv/umd/UV.js)
// and what the pages keep on window for the browser tests. Typed loosely on purpose: the check is
// of our page scripts, not of the viewers' APIs.
declare const Mirador: any;
declare const UV: any;
interface Window {
  Mirador: any;
  miradorInstance: any;
  uv: any;
}
