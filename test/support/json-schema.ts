/**
 * Checks a value against a JSON Schema 2020-12 of an OpenAPI document, for the keywords zod's
 * toJSONSchema writes. A keyword it does not know throws instead of being skipped, so a check
 * can never pass by ignoring part of a schema.
 */
type Schema = Record<string, unknown> | boolean;

/** Annotations: they say things about a value and check nothing. */
const ANNOTATIONS = new Set(['description', 'default', 'format', 'title', 'examples', 'readOnly', 'writeOnly', 'deprecated']);

const typeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' && Number.isInteger(v) ? 'integer' : typeof v;

const hasType = (v: unknown, type: string) => typeOf(v) === type || (type === 'number' && typeOf(v) === 'integer');

/** Problems of `value` under `schema` (none when it fits), each with the JSON path where it is. */
export function schemaProblems(
  value: unknown, schema: Schema, document: { components: { schemas: Record<string, Schema> } }, at = '$',
): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${at}: no value is allowed`];
  const problems: string[] = [];
  const check = (v: unknown, s: Schema, where: string) => schemaProblems(v, s, document, where);
  const object = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  for (const [keyword, rule] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    switch (keyword) {
      case '$ref': {
        const name = /^#\/components\/schemas\/(.+)$/.exec(rule as string)?.[1];
        const target = name ? document.components.schemas[name] : undefined;
        if (target === undefined) throw new Error(`${at}: cannot resolve ${String(rule)}`);
        problems.push(...check(value, target, at));
        break;
      }
      case 'type': {
        const types = Array.isArray(rule) ? (rule as string[]) : [rule as string];
        if (!types.some((t) => hasType(value, t))) problems.push(`${at}: is ${typeOf(value)}, not ${types.join(' or ')}`);
        break;
      }
      case 'enum':
        if (!(rule as unknown[]).includes(value)) problems.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(rule)}`);
        break;
      case 'const':
        if (value !== rule) problems.push(`${at}: is not ${JSON.stringify(rule)}`);
        break;
      case 'anyOf':
        if (!(rule as Schema[]).some((s) => check(value, s, at).length === 0)) problems.push(`${at}: fits none of anyOf`);
        break;
      case 'allOf':
        for (const s of rule as Schema[]) problems.push(...check(value, s, at));
        break;
      case 'properties':
        if (object) {
          for (const [key, s] of Object.entries(rule as Record<string, Schema>)) {
            if (key in object) problems.push(...check(object[key], s, `${at}.${key}`));
          }
        }
        break;
      case 'required':
        if (object) for (const key of rule as string[]) if (!(key in object)) problems.push(`${at}: lacks ${key}`);
        break;
      case 'additionalProperties':
        if (object) {
          const known = Object.keys((schema.properties ?? {}) as object);
          for (const [key, v] of Object.entries(object)) {
            if (!known.includes(key)) problems.push(...check(v, rule as Schema, `${at}.${key}`));
          }
        }
        break;
      case 'propertyNames':
        if (object) for (const key of Object.keys(object)) problems.push(...check(key, rule as Schema, `${at}[${JSON.stringify(key)}]`));
        break;
      case 'items':
        if (Array.isArray(value)) value.forEach((v, i) => problems.push(...check(v, rule as Schema, `${at}[${i}]`)));
        break;
      case 'minItems':
      case 'maxItems':
        if (Array.isArray(value) && (keyword === 'minItems' ? value.length < (rule as number) : value.length > (rule as number))) {
          problems.push(`${at}: ${value.length} items breaks ${keyword} ${rule}`);
        }
        break;
      case 'minLength':
      case 'maxLength':
        if (typeof value === 'string') {
          const length = [...value].length;
          const breaks = keyword === 'minLength' ? length < (rule as number) : length > (rule as number);
          if (breaks) problems.push(`${at}: length ${length} breaks ${keyword} ${rule}`);
        }
        break;
      case 'pattern':
        if (typeof value === 'string' && !new RegExp(rule as string, 'u').test(value)) {
          problems.push(`${at}: ${JSON.stringify(value)} does not match ${rule}`);
        }
        break;
      case 'minimum':
      case 'maximum':
        if (typeof value === 'number' && (keyword === 'minimum' ? value < (rule as number) : value > (rule as number))) {
          problems.push(`${at}: ${value} breaks ${keyword} ${rule}`);
        }
        break;
      default:
        throw new Error(`${at}: the schema uses ${keyword}, which this checker does not know`);
    }
  }
  return problems;
}
