/**
 * Validates XML against the schemas kept in test/fixtures/xsd with xmllint (Debian's
 * libxml2-utils), offline: the XML catalog maps the schemas' public addresses to the copies,
 * and --nonet refuses anything else.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const OAI_SCHEMAS = fileURLToPath(new URL('../fixtures/xsd/oai/', import.meta.url));

/** xmllint's complaints about the XML file `file` against `schema`, or null when it validates. */
export function fileSchemaProblems(file: string, schema: string, catalog?: string): string | null {
  const run = spawnSync('xmllint', ['--nonet', '--noout', '--schema', schema, file], {
    encoding: 'utf8', maxBuffer: 1 << 28, env: catalog ? { ...process.env, XML_CATALOG_FILES: catalog } : process.env,
  });
  if (run.error) throw new Error(`xmllint could not run (apt install libxml2-utils): ${run.error.message}`);
  return run.status === 0 ? null : run.stderr.slice(0, 2000);
}

/** xmllint's complaints about `xml` against `schema`, or null when it validates. */
export function schemaProblems(xml: string, schema: string, catalog: string): string | null {
  const dir = mkdtempSync(path.join(tmpdir(), 'guji-xsd-'));
  try {
    const file = path.join(dir, 'response.xml');
    writeFileSync(file, xml);
    return fileSchemaProblems(file, schema, catalog);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Problems of an OAI-PMH response against OAI-PMH.xsd and the schemas of its metadata formats. */
export const oaiProblems = (xml: string): string | null =>
  schemaProblems(xml, path.join(OAI_SCHEMAS, 'responses.xsd'), path.join(OAI_SCHEMAS, 'catalog.xml'));
