/**
 * Writes test/fixtures/kanripo-statements.json: census-style 题名卷数 and 著者 statements
 * composed from the kanripo catalogue (src/demo/kanripo/), each with the structure kanripo itself
 * records — title, 卷 count, persons with dynasty and role. The expected side never comes from
 * our parsers, so the parser tests can fail. Run: npx tsx scripts/make-parser-fixtures.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { composeCreatorStatement, composeTitleStatement } from '../src/demo/demo-catalogue.js';
import { readKanripoCatalog } from '../src/demo/kanripo.js';

const dir = new URL('../src/demo/kanripo/', import.meta.url);
const rows = ['KR_KR1a.txt', 'KR_KR2k.txt'].flatMap((file) =>
  readKanripoCatalog(readFileSync(new URL(file, dir), 'utf8'))
    .filter((w) => w.juan !== null && w.persons.length > 0)
    .map((w) => ({
      source: `kanripo ${w.id}`,
      titleStatement: composeTitleStatement(w),
      title: w.title,
      juan: w.juan,
      creatorStatement: composeCreatorStatement(w.persons),
      persons: w.persons.map((p) => ({ name: p.name, dynasty: p.dynasty, role: p.role })),
    })),
);
const out = new URL('../test/fixtures/kanripo-statements.json', import.meta.url);
// One row a line, so a change to an expectation shows as one line in review.
writeFileSync(out, `[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
console.log(`${rows.length} rows → ${out.pathname}`);
