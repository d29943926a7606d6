/**
 * Content-Disposition for downloads, built in one place so that no name — a census number from
 * the URL, say — can end the header's quoted string or add a parameter of its own. RFC 6266
 * §4.1 and §4.3: `filename` holds an ASCII fallback, `filename*` (RFC 8187) the name in UTF-8,
 * percent-encoded; quotes, backslashes, `;`, `%`, CR and LF are never written raw.
 */

/** RFC 8187 attr-char: what encodeURIComponent leaves alone, less ' ( ) * (which it also leaves). */
const encode = (name: string) => encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function attachment(filename: string): string {
  // A lone surrogate has no UTF-8 form (encodeURIComponent throws on one): U+FFFD stands in.
  const name = filename.replace(/\p{Cs}/gu, '\uFFFD');
  const fallback = name.replace(/[^\x20-\x7e]|["\\;%]/g, '_');
  // filename* only when the fallback is not the name itself (RFC 6266 §4.3: recipients prefer it).
  return fallback === name ? `attachment; filename="${name}"` : `attachment; filename="${fallback}"; filename*=UTF-8''${encode(name)}`;
}
