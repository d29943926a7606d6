/**
 * Reads a known text sent to be aligned onto a book's pages (text-alignment.ts) in the forms the
 * texts come in:
 *  - `plain`: the text as it is, one line per column or paragraph or none at all;
 *  - `mandoku`: a Kanseki Repository file (github.com/kanripo, "mandoku" org-mode text):
 *    `#+TITLE:` and other `#+KEY:` headers and `# ` comments are dropped (the title is kept
 *    apart), `<pb:ID_EDITION_JUAN-PAGE>` page markers are dropped and kept apart as hints with
 *    their offset in the text (they name the pages of the repository's base edition, which need
 *    not be ours, so the alignment never needs them), `¶` (a line of the base edition) becomes a
 *    line break, org headings (`** 《乾第一》`) keep their text, `:PROPERTIES:` drawers go,
 *    `&KR0123;` entities for characters Unicode lacks stay as written (each is one letter);
 *  - `ctext`: ctext.org's plain text (read as plain), or the JSON its API's `gettext` answers
 *    (`{"title": …, "fulltext": ["paragraph", …]}`; paragraphs become lines).
 * `auto` tells them apart by their first characters. Everything is bounded by the input's length,
 * and bad input gets a ValidationError naming the field `text`.
 */
import { ValidationError } from './errors.js';
import { MAX_KNOWN_CHARACTERS } from './text-alignment.js';

export type KnownTextFormat = 'plain' | 'mandoku' | 'ctext';

export interface PageMarker {
  /** The marker as the file names the page, e.g. `KR1a0001_tls_001-1a`. */
  id: string;
  /** Offset (UTF-16 code units) in `text` where the page begins. */
  offset: number;
}

export interface KnownText {
  format: KnownTextFormat;
  title: string | null;
  /** The text as written, markup removed; lines as the source gives them. */
  text: string;
  /** Page markers of the source, when it has them: hints only. */
  pages: PageMarker[];
}

/** Markup counts in the file but not in the text, so the file may be twice the text's limit. */
export const MAX_KNOWN_FILE_LENGTH = 2 * MAX_KNOWN_CHARACTERS;

const FORMATS = ['plain', 'mandoku', 'ctext', 'auto'] as const;

const problem = (p: string, field = 'text') => new ValidationError([{ field, problem: p }], `The text cannot be read: it ${p}.`);

export function parseKnownText(input: string, format: KnownTextFormat | 'auto' = 'auto'): KnownText {
  if (!FORMATS.includes(format)) throw problem(`names an unknown format; use one of ${FORMATS.join(', ')}`, 'format');
  if (typeof input !== 'string') throw problem('is not a string');
  if (input.length > MAX_KNOWN_FILE_LENGTH) {
    throw problem(`is longer than ${MAX_KNOWN_FILE_LENGTH.toLocaleString('en-US')} characters; send a volume or 卷 at a time`);
  }
  const text = input.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
  // A text file has no control characters but tabs and line breaks: anything else is binary.
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/.test(text)) throw problem('contains control characters or undecodable bytes; send UTF-8 text');
  const kind = format === 'auto' ? detect(text) : format;
  if (kind === 'mandoku') return mandoku(text);
  if (kind === 'ctext' && text.trimStart().startsWith('{')) return ctextJson(text);
  return { format: kind, title: null, text, pages: [] };
}

function detect(text: string): KnownTextFormat {
  const head = text.trimStart();
  if (head.startsWith('{')) return 'ctext';
  if (/^#\+TITLE:|^# -\*- mode: mandoku|<pb:[^>\n]+>/m.test(text.slice(0, 4096))) return 'mandoku';
  return 'plain';
}

function mandoku(source: string): KnownText {
  let title: string | null = null;
  let text = '';
  const pages: PageMarker[] = [];
  let drawer = false;
  for (const line of source.split('\n')) {
    const header = /^#\+([A-Za-z_]+):\s*(.*)$/.exec(line);
    if (header) {
      if (header[1]!.toUpperCase() === 'TITLE') title = header[2]!.trim() || null;
      continue;
    }
    // Org comments: `# text` or a lone `#` (the mode line is one).
    if (/^#(\s|$)/.test(line)) continue;
    if (/^\s*:PROPERTIES:\s*$/.test(line)) drawer = true;
    if (drawer) {
      if (/^\s*:END:\s*$/.test(line)) drawer = false;
      continue;
    }
    let rest = line.replace(/^\*+\s+/, '');
    for (let m = /<pb:([^>\s]*)>/.exec(rest); m; m = /<pb:([^>\s]*)>/.exec(rest)) {
      text += rest.slice(0, m.index).replace(/¶/g, '\n');
      pages.push({ id: m[1]!, offset: text.length });
      rest = rest.slice(m.index + m[0].length);
    }
    text += rest.replace(/¶/g, '\n') + '\n';
  }
  if (drawer) throw problem('has a :PROPERTIES: drawer without its :END:');
  return { format: 'mandoku', title, text, pages };
}

function ctextJson(source: string): KnownText {
  let data: unknown;
  try {
    data = JSON.parse(source);
  } catch {
    throw problem('starts with { but is not JSON (ctext API answers are JSON; send other text as plain)');
  }
  const record = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  if (record.error !== undefined) throw problem('is a ctext error answer, not a text');
  const fulltext = record.fulltext;
  if (!Array.isArray(fulltext)) {
    throw problem(
      Array.isArray(record.subsections)
        ? 'is a ctext answer listing subsections, not their text; fetch each subsection'
        : 'is JSON without a ctext "fulltext" list of paragraphs',
    );
  }
  if (!fulltext.every((p): p is string => typeof p === 'string')) throw problem('has a "fulltext" entry that is not a string');
  return { format: 'ctext', title: typeof record.title === 'string' ? record.title : null, text: fulltext.join('\n'), pages: [] };
}
