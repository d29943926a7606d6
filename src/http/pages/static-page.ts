/**
 * Server-rendered pages are the static pages of public/ with their empty containers filled: the
 * markup stays in one place (the HTML file the page script was written against), and the script
 * finds what it would have drawn. Each filler names the exact markup it replaces; a page file
 * that lost one fails at start-up, not on a visitor's request. Like every page served, it goes
 * through StaticAssets.page() when rendered: its shared head and header filled in, its local
 * files' URLs versioned (issue 20) — a file changed since start gets its new version.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { escapeHtml } from '../../domain/search-text.js';
import { StaticAssets } from '../static-assets.js';
import type { Html } from './html.js';

export class StaticPage {
  private constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly assets: StaticAssets,
  ) {}

  /** Reads `file` from the pages folder and checks it holds every piece of markup in `slots`. */
  static load(folder: string, file: string, slots: readonly string[]): StaticPage {
    const text = readFileSync(path.join(folder, file), 'utf8');
    const missing = [...slots, '</head>'].filter((slot) => !text.includes(slot));
    if (!/<title>[^<]*<\/title>/.test(text)) missing.push('<title>');
    if (missing.length) throw new Error(`public/${file} no longer holds the markup its server rendering fills: ${missing.join(', ')}`);
    return new StaticPage(file, text, StaticAssets.forPages(folder));
  }

  /** The page with its <title>, what goes at the end of <head>, and each slot replaced. */
  render(title: string, head: Html, fills: Readonly<Record<string, Html>>): string {
    let out = this.assets.page(this.text).replace(/<title>[^<]*<\/title>/, () => `<title>${escapeHtml(title)}</title>`);
    out = out.replace('</head>', () => `${head.text}\n</head>`);
    for (const [slot, markup] of Object.entries(fills)) {
      if (!out.includes(slot)) throw new Error(`public/${this.file}: no ${slot}`);
      out = out.replace(slot, () => markup.text);
    }
    return out;
  }
}

