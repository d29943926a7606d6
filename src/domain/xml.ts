/** Writing XML text by hand, safely: the crosswalks build strings, not DOM trees. */

/**
 * Characters XML 1.0 does not allow (§2.2 Char: C0 controls other than tab, LF and CR;
 * U+FFFE, U+FFFF) and that MARC uses as delimiters (U+001D–U+001F): a record may hold none of
 * them in an export. Line breaks become spaces: MARC and most MODS readers show one line.
 */
export function clean(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\ufffe\uffff]+/g, ' ');
}

export function escapeXml(text: string): string {
  return clean(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * `<name a="v">content</name>` (content already XML), attributes with undefined values left out;
 * `<name a="v"/>` when there is no content.
 */
export function element(name: string, attributes: Record<string, string | number | undefined>, content?: string): string {
  const attrs = Object.entries(attributes).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`).join('');
  return content === undefined ? `<${name}${attrs}/>` : `<${name}${attrs}>${content}</${name}>`;
}

/** An element holding text (escaped). */
export const textElement = (name: string, attributes: Record<string, string | undefined>, text: string) => element(name, attributes, escapeXml(text));
