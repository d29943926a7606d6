/**
 * What every page of the site shares, declared once: the head every page starts with (character
 * set, viewport, icon, the site's style sheet) and the site's header (name and navigation). A page
 * of public/ holds only its own parts — its language, title, styles and script, its content — and
 * a marker where the shared part goes: `<!-- site-head -->` in <head>, `<!-- site-header -->` at
 * the top of <body>. StaticAssets.page() fills them as it serves the page (static or rendered on
 * the server), so readers without JavaScript and crawlers get the whole page, navigation
 * included; public/ui.js then redraws the header for the visitor (their language, what their
 * role offers, sign-in). Adding a page: its own parts and the two markers (docs/CHANGE-TRACES.md).
 */

/** The marker a page puts in its <head> for the shared head. */
export const SITE_HEAD_MARKER = '<!-- site-head -->';
/** The marker a page puts at the top of its <body> for the site's header. */
export const SITE_HEADER_MARKER = '<!-- site-header -->';

const SITE_HEAD = [
  '<meta charset="utf-8">',
  '<meta name="viewport" content="width=device-width, initial-scale=1">',
  '<link rel="icon" href="/favicon.svg" type="image/svg+xml">',
  '<link rel="stylesheet" href="/site.css">',
];

/**
 * The navigation anyone may follow: the catalogue's pages, then its data. public/ui.js redraws
 * these links from the header as served, translated, and puts the pages a signed-in person's role
 * offers before the first link marked `data-nav="data"`.
 */
const PUBLIC_NAV: readonly (readonly [href: string, label: string, group: 'pages' | 'data'])[] = [
  ['/', '检索', 'pages'], ['/browse', '四部分类', 'pages'], ['/stats', '普查概况', 'pages'],
  ['/api/openapi.json', 'API', 'data'], ['/iiif/collection', 'IIIF', 'data'],
];

const SITE_HEADER = [
  '<header class="top">',
  '  <a class="brand" href="/">guji 古籍普查与数字化</a>',
  `  <nav aria-label="主导航">${PUBLIC_NAV.map(([href, label, group]) => `<a href="${href}"${group === 'data' ? ' data-nav="data"' : ''}>${label}</a>`).join(' ')}</nav>`,
  '</header>',
];

/** Each marker's line replaced by the shared lines, at the marker's indentation. */
const fill = (page: string, marker: string, lines: readonly string[]) =>
  page.replace(new RegExp(`^([ \\t]*)${marker}$`, 'm'), (_whole, indent: string) => lines.map((line) => indent + line).join('\n'));

/**
 * A skip link past the header (WCAG 2.4.1, Bypass Blocks), first in the tab order, to the page's
 * <main> — given the id `main` when it has none, and tabindex -1 so that following the link moves
 * the focus there. Written with the header rather than by script, so that it is there from the
 * first byte: a Tab pressed before the scripts have run reaches it too.
 */
function withSkipLink(page: string): { page: string; skip: string[] } {
  const main = /<main\b([^>]*)>/.exec(page);
  // A page may have a skip link of its own (the search page's leads to the results).
  if (!main || page.includes('class="skip"')) return { page, skip: [] };
  const attributes = main[1]!;
  const id = /\bid="([^"]+)"/.exec(attributes)?.[1];
  const tag = `<main${attributes}${id ? '' : ' id="main"'}${/\btabindex=/.test(attributes) ? '' : ' tabindex="-1"'}>`;
  return { page: page.replace(main[0], tag), skip: [`<a class="skip" href="#${id ?? 'main'}" data-i18n>跳到正文</a>`] };
}

/** The page with its markers filled; a page without markers (the bare viewer) is left as it is. */
export function withSiteLayout(page: string): string {
  if (!page.includes(SITE_HEADER_MARKER)) return fill(page, SITE_HEAD_MARKER, SITE_HEAD);
  const { page: marked, skip } = withSkipLink(page);
  return fill(fill(marked, SITE_HEAD_MARKER, SITE_HEAD), SITE_HEADER_MARKER, [...skip, ...SITE_HEADER]);
}
