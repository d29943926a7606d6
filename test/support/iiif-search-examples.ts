/**
 * Our IIIF Content Search answers held to the shapes of the specification's own examples
 * (test/fixtures/iiif-content-search-2/examples.json, copied from the 2.0 specification, CC BY 4.0).
 *
 * Every value is seen at a path of keys (array elements at their array's path: `items.body.value`).
 * An answer conforms when, at every path,
 *  - each key it has is one some example has there (or an extension named below, with its reason);
 *  - each key every example has there is present (unless the text makes it optional, below);
 *  - each value is of a JSON type the examples give there;
 *  - `@context`, `type` and `motivation` take values the examples take there;
 * and when its identifiers are absolute URIs, each match-context annotation's `source` names an
 * annotation of `items` (§4.3.1: "to be matched against the id property of the annotations in
 * items"), and each string `target` is a canvas with `#xywh=`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface Example { section: string; line: number; example: unknown }
const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/iiif-content-search-2/examples.json');
const EXAMPLES: Example[] = JSON.parse(readFileSync(FIXTURE, 'utf8')).examples;

/** The examples of the sections whose number starts so ('3': declaring services, '4.': search, '5.': autocomplete). */
export function specExamples(section: string): unknown[] {
  const chosen = EXAMPLES.filter((e) => e.section.startsWith(`§${section}`));
  if (chosen.length === 0) throw new Error(`no example of §${section}`);
  return chosen.map((e) => e.example);
}

/** What we give beyond the examples, each allowed by the text the examples illustrate. */
const EXTENSIONS: Record<string, { keys?: string[]; values?: Record<string, unknown[]> }> = {
  // §4.2.2: "The Annotation Page SHOULD have a prev property if there is a previous page" (no example is a second page).
  '': { keys: ['prev'] },
  // The Web Annotation Data Model §3.2.4 (TextualBody) gives a body its `language`: our text is Chinese as written.
  'items.body': { keys: ['language'] },
  // The matched characters are the page's transcription: Presentation 3 §3.1's `supplementing`
  // ("the resource is a transcription, translation or commentary of the target"), the motivation
  // of the canvas's own text annotations (src/iiif/text-annotations.ts). The examples' `painting`
  // is for text that is itself the content; §4.1.1 lets any motivation be searched.
  items: { values: { motivation: ['supplementing'] } },
};

/** Keys every example has that the text makes optional. */
const OPTIONAL: Record<string, string[]> = {
  // §4.2.2: "The Annotation Collection MAY have a total property" (ours would count annotations,
  // a match over two columns being two, known only once every page is read).
  partOf: ['total'],
};

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';
const kindOf = (v: unknown): Kind => (v === null ? 'null' : Array.isArray(v) ? 'array' : (typeof v as Kind));

interface Seen { kinds: Set<Kind>; values: Set<string>; objects: Set<string>[] }

/** Every path of the document with the kinds and (for @context, type, motivation) values seen there, and each object's keys. */
function paths(doc: unknown, into = new Map<string, Seen>(), at = ''): Map<string, Seen> {
  const seen = into.get(at) ?? { kinds: new Set(), values: new Set(), objects: [] };
  into.set(at, seen);
  seen.kinds.add(kindOf(doc));
  if (Array.isArray(doc)) {
    for (const v of doc) paths(v, into, at);
  } else if (doc && typeof doc === 'object') {
    seen.objects.push(new Set(Object.keys(doc)));
    for (const [k, v] of Object.entries(doc)) {
      const child = at ? `${at}.${k}` : k;
      if (['@context', 'type', 'motivation'].includes(k)) {
        const c = into.get(child) ?? { kinds: new Set(), values: new Set(), objects: [] };
        into.set(child, c);
        for (const one of Array.isArray(v) ? v : [v]) c.values.add(JSON.stringify(one));
      }
      paths(v, into, child);
    }
  }
  return into;
}

/** What departs from the examples' shapes: an empty list when nothing does. */
export function conformsToExamples(answer: unknown, examples: readonly unknown[]): string[] {
  const spec = new Map<string, Seen>();
  for (const e of examples) paths(e, spec);
  const ours = paths(answer);
  const problems: string[] = [];
  for (const [at, seen] of ours) {
    const name = at || '(the answer)';
    const example = spec.get(at);
    if (!example) continue; // reported as a key no example has, at its parent
    const extension = EXTENSIONS[at];
    for (const kind of seen.kinds) if (!example.kinds.has(kind)) problems.push(`${name}: a ${kind}, which no example has there`);
    if (example.values.size > 0) {
      const allowed = new Set([...example.values, ...(EXTENSIONS[at.split('.').slice(0, -1).join('.')]?.values?.[at.split('.').at(-1)!] ?? []).map((v) => JSON.stringify(v))]);
      for (const v of seen.values) if (!allowed.has(v)) problems.push(`${name}: ${v} is none of the examples' (${[...example.values].join(', ')})`);
    }
    const everyExample = new Set(example.objects.flatMap((keys) => [...keys]).filter((k) => example.objects.every((keys) => keys.has(k))));
    const anyExample = new Set([...example.objects.flatMap((keys) => [...keys]), ...(extension?.keys ?? [])]);
    for (const keys of seen.objects) {
      for (const k of everyExample) if (!keys.has(k) && !OPTIONAL[at]?.includes(k)) problems.push(`${name}: lacks ${k}, which every example has`);
      for (const k of keys) if (!anyExample.has(k)) problems.push(`${at ? `${at}.` : ''}${k}: no example has it`);
    }
  }
  // Identifiers, and what refers to what.
  const ids = new Set<string>();
  const walk = (v: unknown, key: string) => {
    if (Array.isArray(v)) return v.forEach((x) => walk(x, key));
    if (v && typeof v === 'object') return Object.entries(v).forEach(([k, x]) => walk(x, k));
    if (typeof v !== 'string') return;
    if (key === 'id' && !URL.canParse(v)) problems.push(`id ${v}: not an absolute URI`);
    if (key === 'target' && !/^https?:\/\/\S+#xywh=\d+,\d+,\d+,\d+$/.test(v)) problems.push(`target ${v}: not a canvas region (#xywh=)`);
  };
  walk(answer, '');
  const doc = answer as { items?: { id?: string }[]; annotations?: { items?: { target?: unknown }[] }[] };
  for (const item of doc.items ?? []) if (item.id) ids.add(item.id);
  for (const page of doc.annotations ?? []) {
    for (const a of page.items ?? []) {
      for (const t of [a.target].flat() as { source?: string }[]) {
        if (t?.source && !ids.has(t.source)) problems.push(`annotations: source ${t.source} is no annotation of items`);
      }
    }
  }
  return problems;
}
