/**
 * The Open Archives Initiative Protocol for Metadata Harvesting 2.0
 * (https://www.openarchives.org/OAI/openarchivesprotocol.html, cited as §): which arguments each
 * verb takes, how they are checked, the error codes of §3.6, datestamps, resumption tokens, set
 * specs and the XML of a response. Pure: the service (src/services/oai-service.ts) reads the
 * store and hands the results in.
 */
import { z } from 'zod';
import { element, escapeXml } from './xml.js';

export const OAI_NAMESPACE = 'http://www.openarchives.org/OAI/2.0/';
export const OAI_SCHEMA = 'http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd';
export const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

export const VERBS = ['Identify', 'ListMetadataFormats', 'ListSets', 'GetRecord', 'ListIdentifiers', 'ListRecords'] as const;
export type Verb = (typeof VERBS)[number];

/** §3.6: the error codes and conditions of the protocol. */
export type OaiErrorCode =
  | 'badArgument' | 'badResumptionToken' | 'badVerb' | 'cannotDisseminateFormat' | 'idDoesNotExist'
  | 'noRecordsMatch' | 'noMetadataFormats' | 'noSetHierarchy';

export class OaiError extends Error {
  constructor(readonly code: OaiErrorCode, message: string) {
    super(message);
  }
}

/**
 * The longest argument read. Identifiers are `oai:<host>:<census number>` and tokens a few
 * hundred characters: anything longer is not ours, and is refused before it is parsed.
 */
export const MAX_ARGUMENT_CHARS = 2048;

/** §3.1.1: arguments each verb may take (required ones marked), and the exclusive resumptionToken. */
const ARGUMENTS: Record<Verb, { required: string[]; optional: string[]; exclusive?: 'resumptionToken' }> = {
  Identify: { required: [], optional: [] },
  ListMetadataFormats: { required: [], optional: ['identifier'] },
  ListSets: { required: [], optional: [], exclusive: 'resumptionToken' },
  GetRecord: { required: ['identifier', 'metadataPrefix'], optional: [] },
  ListIdentifiers: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
  ListRecords: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
};

export interface OaiRequest {
  verb: Verb;
  args: Record<string, string>;
}

/**
 * Checks a request's arguments as received (name and value pairs, repeats kept): a missing,
 * repeated or unknown verb is badVerb; a repeated, unknown, missing or malformed argument is
 * badArgument (§3.6). Every problem throws OaiError.
 */
export function parseRequest(pairs: readonly [string, string][]): OaiRequest {
  const verbs = pairs.filter(([k]) => k === 'verb').map(([, v]) => v);
  if (verbs.length === 0) throw new OaiError('badVerb', 'The verb argument is missing.');
  if (verbs.length > 1) throw new OaiError('badVerb', 'The verb argument is repeated.');
  const verb = verbs[0]!;
  if (!(VERBS as readonly string[]).includes(verb)) throw new OaiError('badVerb', `${truncate(verb)} is not an OAI-PMH verb: ${VERBS.join(', ')}.`);
  const spec = ARGUMENTS[verb as Verb];
  const args: Record<string, string> = {};
  for (const [key, value] of pairs) {
    if (key === 'verb') continue;
    if (![...spec.required, ...spec.optional, spec.exclusive].includes(key)) {
      throw new OaiError('badArgument', `${verb} takes no argument ${truncate(key)}.`);
    }
    if (key in args) throw new OaiError('badArgument', `The argument ${key} is repeated.`);
    if (value.length > MAX_ARGUMENT_CHARS) throw new OaiError('badArgument', `The argument ${key} is longer than ${MAX_ARGUMENT_CHARS} characters.`);
    args[key] = value;
  }
  if (spec.exclusive && spec.exclusive in args) {
    if (Object.keys(args).length > 1) throw new OaiError('badArgument', 'resumptionToken is an exclusive argument: it comes alone with the verb.');
    return { verb: verb as Verb, args };
  }
  const missing = spec.required.filter((k) => !(k in args));
  if (missing.length > 0) throw new OaiError('badArgument', `${verb} needs the argument ${missing.join(' and ')}.`);
  // The request element repeats the arguments, typed by the schema: malformed ones are refused here.
  if ('metadataPrefix' in args && !METADATA_PREFIX.test(args.metadataPrefix!)) {
    throw new OaiError('badArgument', 'metadataPrefix may hold only letters, digits and - _ . ! ~ * \' ( ).');
  }
  if ('set' in args && !SET_SPEC.test(args.set!)) throw new OaiError('badArgument', `${truncate(args.set!)} is not a set spec.`);
  return { verb: verb as Verb, args };
}

const truncate = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);

// The patterns of metadataPrefixType and setSpecType in OAI-PMH.xsd.
const METADATA_PREFIX = /^[A-Za-z0-9\-_.!~*'()]+$/;
const SET_SPEC = /^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$/;

/** The repository's granularity (§4.2, Identify): datestamps to the second. */
export const GRANULARITY = 'YYYY-MM-DDThh:mm:ssZ';

/** An instant as a datestamp, `YYYY-MM-DDThh:mm:ssZ` (§3.3.1). */
export const datestampOf = (date: Date): string => `${date.toISOString().slice(0, 19)}Z`;

/**
 * The bounds that from and until select, both inclusive, to the second (§3.3.1: "harvesters
 * may use either granularity"): a day from its first second to its last. Both arguments must
 * have the same granularity, and from may not be after until (§3.3.1, §4.6).
 */
export function selectiveBounds(from: string | undefined, until: string | undefined): { from?: string; until?: string } {
  const read = (name: string, value: string, end: boolean) => {
    const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    const second = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(value);
    const parts = day ?? second;
    if (!parts) throw new OaiError('badArgument', `${name} must be a date YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, not ${truncate(value)}.`);
    const instant = day ? `${value}T${end ? '23:59:59' : '00:00:00'}Z` : value;
    const date = new Date(instant);
    if (Number.isNaN(date.getTime()) || datestampOf(date) !== instant) throw new OaiError('badArgument', `${name} ${truncate(value)} is not a date.`);
    return { instant, granularity: day ? 'day' : 'second' };
  };
  const f = from === undefined ? undefined : read('from', from, false);
  const u = until === undefined ? undefined : read('until', until, true);
  if (f && u && f.granularity !== u.granularity) throw new OaiError('badArgument', 'from and until must have the same granularity.');
  if (f && u && f.instant > u.instant) throw new OaiError('badArgument', 'from must not be later than until.');
  return { ...(f ? { from: f.instant } : {}), ...(u ? { until: u.instant } : {}) };
}

/**
 * What a resumption token carries (§3.5): the list request it continues — verb, format, bounds
 * and set — and where it stopped: the last census number given (keyset paging, so records
 * written between pages neither shift later pages nor make them repeat one) and how many were
 * given before (the cursor). Encoded as base64url JSON: a harvester that forges one gets only a
 * list it could have asked for.
 */
const TokenSchema = z.object({
  verb: z.enum(['ListIdentifiers', 'ListRecords']),
  metadataPrefix: z.string().regex(METADATA_PREFIX).max(100),
  from: z.string().max(20).optional(),
  until: z.string().max(20).optional(),
  set: z.string().regex(SET_SPEC).max(200).optional(),
  after: z.string().min(1).max(100),
  cursor: z.number().int().min(1),
}).strict();
export type ResumptionState = z.infer<typeof TokenSchema>;

export const encodeToken = (state: ResumptionState): string => Buffer.from(JSON.stringify(state)).toString('base64url');

export function decodeToken(token: string, verb: Verb): ResumptionState {
  let state: ResumptionState;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error('not base64url');
    state = TokenSchema.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
  } catch {
    throw new OaiError('badResumptionToken', 'The resumption token is not one this repository issued.');
  }
  if (state.verb !== verb) throw new OaiError('badResumptionToken', `The resumption token continues ${state.verb}, not ${verb}.`);
  // Bounds in a token are ours (to the second); anything else was not issued here.
  try {
    selectiveBounds(state.from, state.until);
    if ((state.from && state.from.length !== 20) || (state.until && state.until.length !== 20)) throw new Error('bounds');
  } catch {
    throw new OaiError('badResumptionToken', 'The resumption token is not one this repository issued.');
  }
  return state;
}

/**
 * Set specs must be ASCII (setSpecType), so 四部 divisions are named in Hanyu Pinyin:
 * `division:jing` for 經部 …; a division a vocabulary file adds is named by its code points
 * (`division:u65b0u5b78`). Units are named by their key: `unit:430000-0001`.
 */
const DIVISION_SPECS: Record<string, string> = { 經部: 'jing', 史部: 'shi', 子部: 'zi', 集部: 'ji', 叢部: 'cong', 新學類: 'xinxue' };

export const divisionSpec = (term: string): string =>
  `division:${DIVISION_SPECS[term] ?? [...term].map((c) => `u${c.codePointAt(0)!.toString(16)}`).join('')}`;
export const unitSpec = (unitKey: string): string => `unit:${unitKey}`;

/**
 * A whole response (§3.2): responseDate, the request — its arguments as attributes, except after
 * badVerb or badArgument, when only the base URL is given (§3.2) — and the verb's element or errors.
 */
export function responseXml(responseDate: string, baseUrl: string, request: OaiRequest | null, body: string): string {
  return '<?xml version="1.0" encoding="UTF-8"?>\n'
    + `<OAI-PMH xmlns="${OAI_NAMESPACE}" xmlns:xsi="${XSI_NAMESPACE}" xsi:schemaLocation="${OAI_NAMESPACE} ${OAI_SCHEMA}">`
    + element('responseDate', {}, responseDate)
    + element('request', request ? { verb: request.verb, ...request.args } : {}, escapeXml(baseUrl))
    + body
    + '</OAI-PMH>\n';
}

export const errorXml = (error: OaiError): string => element('error', { code: error.code }, escapeXml(error.message));
