/**
 * The pages' template layer: a tagged template in which every interpolation is HTML-escaped
 * unless it is already Html (made by this same tag, or by jsonLd). No template engine: the pages
 * are few and small, and a tag keeps escaping the default — nothing can be interpolated raw by
 * forgetting a filter. Attributes must be quoted in the templates (`href="${url}"`): the escape
 * covers `"` and `'`, so a value can never leave its attribute.
 */
import { escapeHtml } from '../../domain/search-text.js';

/** Markup that is safe to insert as it is. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type Interpolation = Html | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** `html\`<p>${text}</p>\``: the template's own markup kept, every value escaped (arrays joined, nullish and booleans left out). */
export function html(strings: TemplateStringsArray, ...values: readonly Interpolation[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new Html(out);
}

/**
 * Markup made elsewhere and escaped there: the search highlights (src/domain/search-text.ts
 * `highlight`, the text as written escaped with <mark> around matches). Nothing else.
 */
export const escapedElsewhere = (markup: string): Html => new Html(markup);

/**
 * A JSON-LD block. Inside <script> HTML has no escapes, so `</script>` or `<!--` in a value
 * would end the block: `<`, `>` and `&` are written as JSON's \u escapes (the same string to a
 * JSON parser), and U+2028/2029 too, for older JavaScript parsers. The CSP's script-src does
 * not apply: a data block (type application/ld+json) is never executed (HTML §4.12.1.2).
 */
export function jsonLd(data: unknown): Html {
  const json = JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return new Html(`<script type="application/ld+json">${json}</script>`);
}

/** A path in this site with the query from `params` (empty values left out); the path is given encoded. */
export function href(pathname: string, params: Record<string, string | number | null | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') query.set(k, String(v));
  const q = query.toString();
  return q ? `${pathname}?${q}` : pathname;
}
