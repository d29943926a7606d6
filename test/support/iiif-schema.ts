/**
 * The official IIIF Presentation 3.0 JSON Schema (IIIF/presentation-validator, schema/iiif_3_0.json),
 * where a copy is at hand: IIIF_PRESENTATION_SCHEMA names it. That repository has no licence
 * file, so the schema is not committed and CI has no copy; `IIIF_PRESENTATION_SCHEMA=… npm test`
 * runs the check (README, "Tests").
 */
import { readFileSync } from 'node:fs';

/**
 * Problems of a document under the official schema, or null (and a line saying so) without a
 * copy. The schema's root takes manifests, collections and annotations; a canvas or range
 * dereferenced on its own is checked against the schema's own class for it.
 */
export async function officialPresentationProblems(document: unknown, asClass?: 'canvas' | 'range'): Promise<string[] | null> {
  const schemaFile = process.env.IIIF_PRESENTATION_SCHEMA;
  if (!schemaFile) {
    console.log('      (official schema not checked: IIIF_PRESENTATION_SCHEMA names no copy of iiif_3_0.json)');
    return null;
  }
  const key = asClass ?? 'root';
  const validate = (validators[key] ??= await compile(schemaFile, asClass));
  return validate(document) ? [] : (validate.errors ?? []).slice(0, 5).map((e: any) => `${e.instancePath ?? e.dataPath} ${e.message}`);
}

const validators: Record<string, any> = {};

async function compile(schemaFile: string, asClass: string | undefined): Promise<any> {
  // Ajv as installed (a dependency's, with the uri and date-time formats built in).
  const { default: Ajv }: any = await import('ajv');
  // Its `$schema` names no draft Ajv knows; its keywords are those of draft 4 to 7.
  const { $schema: _, ...schema } = JSON.parse(readFileSync(schemaFile, 'utf8'));
  if (asClass) schema.oneOf = [{ $ref: `#/classes/${asClass}` }];
  return new Ajv({ allErrors: true, logger: false }).compile(schema);
}
