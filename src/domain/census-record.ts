/**
 * The census record (普查登记): the fields a surveyor writes, as written, and the structure the
 * service derives from them. Field keys are fixed by docs/API.md; the census meanings come
 * from WH/T 21-2006 and the NLC's templates (docs/DOMAIN.md).
 */
import { z } from 'zod';
import { parseCensusNumber, censusNumberProblem } from './census-number.js';
import { parseCreatorStatement, type Person } from './creator-statement.js';
import { parseEditionStatement, type EditionStructure } from './edition-statement.js';
import type { FieldProblem } from './errors.js';
import { readCount } from './numerals.js';
import { canonicalRights, RIGHTS_PROBLEM } from './rights.js';
import { parseExtantStatement, parseTitleStatement, type ExtantJuan, type TitleStructure } from './title-statement.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * The longest value of each text field, in characters (code points: a CJK Extension B character
 * counts once), and the most items of each list. Generous for real catalogue text — a 提要 runs
 * to a few thousand characters, a title with its 卷数 to a few hundred, a 叢書's 子目 to
 * thousands of items — and small enough that one record stays a few hundred kilobytes at most,
 * so that no cell or body can make a record, the search index or a search answer huge.
 * The README's table of limits lists these values.
 */
export const FIELD_MAX_CHARS = {
  censusNumber: 40, callNumber: 200, titleStatement: 1000, creatorStatement: 1000, editionStatement: 1000, extant: 2000,
  classification: 200, grade: 100, gradeStandard: 100, 'damage.grade': 100, 'damage.types': 100, 'damage.notes': 5000, binding: 100,
  'annotations.person': 200, 'annotations.dynasty': 50, 'annotations.role': 50, 'annotations.text': 10_000,
  layout: 1000, frameSize: 200, pageSize: 200, seals: 500, series: 1000, contents: 1000, boundWith: 1000,
  notes: 10_000, abstract: 20_000,
  /** Every text of `corrections` (titles, names, imprints, dates as written …). */
  corrections: 1000,
} as const;

export const LIST_MAX_ITEMS = {
  annotations: 1000, 'damage.types': 50, seals: 1000, contents: 10_000, boundWith: 1000,
  'corrections.creators': 500, 'corrections.title.supplements': 200, 'corrections.edition.subtypes': 50,
} as const;

/** Characters as people count them: a surrogate pair is one. */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0 && (s.charCodeAt(i - 1) & 0xfc00) === 0xd800) n -= 1;
  }
  return n;
}

/**
 * Text of at most `max` characters, holding no NUL (U+0000: C strings, SQLite's C API and many
 * tools end text there) and no lone surrogate (half of a UTF-16 pair: not Unicode text, no UTF-8
 * form — JSON encoders, the search index and XML writers replace or refuse it).
 */
export function boundedText(max: number) {
  return z
    .string()
    .superRefine((s, ctx) => {
      if (s.length > max && (s.length > 2 * max || codePoints(s) > max)) ctx.addIssue({ code: 'custom', message: `must be at most ${max} characters` });
      if (s.includes('\u0000')) ctx.addIssue({ code: 'custom', message: 'must not contain NUL (U+0000)' });
      if (/\p{Cs}/u.test(s)) ctx.addIssue({ code: 'custom', message: 'must not contain a lone surrogate (half of a UTF-16 pair)' });
    })
    .meta({ maxLength: max });
}

const text = (max: number) => boundedText(max).refine((s) => s.trim().length > 0, 'must not be blank');
const optionalText = (max: number) => boundedText(max).optional();
const list = <T extends z.ZodType>(item: T, max: number) => z.array(item).max(max, `must have at most ${max} items`);
const derived = boundedText(FIELD_MAX_CHARS.corrections);

/** 批校题跋: who annotated the copy and how (批, 校, 題, 跋, 識 …). */
export const AnnotationSchema = z
  .object({
    person: text(FIELD_MAX_CHARS['annotations.person']), dynasty: optionalText(FIELD_MAX_CHARS['annotations.dynasty']),
    role: text(FIELD_MAX_CHARS['annotations.role']), text: optionalText(FIELD_MAX_CHARS['annotations.text']),
  })
  .strict();
export type Annotation = z.infer<typeof AnnotationSchema>;

export const DamageSchema = z
  .object({
    grade: text(FIELD_MAX_CHARS['damage.grade']),
    types: list(text(FIELD_MAX_CHARS['damage.types']), LIST_MAX_ITEMS['damage.types']).default([]),
    notes: optionalText(FIELD_MAX_CHARS['damage.notes']),
  })
  .strict();

/**
 * A Creative Commons licence or RightsStatements.org statement (src/domain/rights.ts), kept as
 * written; manifests serve its canonical URI.
 */
export const RightsUriSchema = z.string().refine((uri) => canonicalRights(uri) !== null, RIGHTS_PROBLEM);

/**
 * How the digitized book is shown, when not as its binding implies (a 民國 平装 book set
 * vertically, say), and its licence when not the service's. Values of IIIF Presentation 3.0
 * (§3.4 viewingDirection, §3.4 behavior).
 */
export const PresentationSchema = z
  .object({
    viewingDirection: z.enum(['right-to-left', 'left-to-right', 'top-to-bottom', 'bottom-to-top']).optional(),
    behavior: z.enum(['paged', 'continuous', 'individuals']).optional(),
    rights: RightsUriSchema.optional(),
  })
  .strict();
export type Presentation = z.infer<typeof PresentationSchema>;

/**
 * One part of a multi-volume work digitized as separate records: the key all its parts share
 * (it names the work's IIIF collection, /iiif/works/{work}) and this part's place in it.
 */
export const PartOfSchema = z
  .object({
    work: z.string().regex(/^[\p{L}\p{N}._-]{1,100}$/u, 'must be 1–100 letters, digits, dots, underscores or hyphens (it names the work in URLs)'),
    sequence: z.number().int('must be a whole number').min(1, 'must be at least 1'),
  })
  .strict();

/** How a refusal of a count names it: as written, quoted when it was text (`"一冊"`, 2.5), cut after 40 characters. */
const asWritten = (value: unknown) => {
  const written = JSON.stringify(value) ?? String(value);
  return written.length > 40 ? `${written.slice(0, 40)}…` : written;
};

/**
 * A count (册数) as a number or as surveyors write it in the form or a JSON body — `18`, `１８`,
 * `十八`, `四` — read as import reads a sheet cell (parseCount). Issue 13: "Chinese numerals
 * accepted for counts on import and in the form, with the value as written echoed in every
 * refusal"; words and fractions are still refused.
 */
const countSchema = z
  .union([z.number(), z.string()], {
    error: (issue) => (issue.input === undefined ? 'is required' : `must be a whole number (18 or 十八), not ${asWritten(issue.input)}`),
  })
  .transform((written, ctx) => {
    const n = readCount(written);
    if (n === null) {
      ctx.addIssue({ code: 'custom', message: `must be a whole number (18 or 十八), not ${asWritten(written)}` });
      return z.NEVER;
    }
    if (n < 1) {
      ctx.addIssue({ code: 'custom', message: `must be at least 1, not ${asWritten(written)}` });
      return z.NEVER;
    }
    return n;
  });

/** The keys a surveyor writes. Everything is kept exactly as sent (no trimming, no folding). */
export const RecordFieldsSchema = z
  .object({
    censusNumber: boundedText(FIELD_MAX_CHARS.censusNumber),
    callNumber: text(FIELD_MAX_CHARS.callNumber),
    titleStatement: text(FIELD_MAX_CHARS.titleStatement),
    creatorStatement: optionalText(FIELD_MAX_CHARS.creatorStatement),
    editionStatement: text(FIELD_MAX_CHARS.editionStatement),
    volumeCount: countSchema,
    extant: optionalText(FIELD_MAX_CHARS.extant),
    holdingUnit: z.string().regex(/^\d{4}$/, 'must be the 4-digit unit code (the UUUU of the census number)'),
    classification: optionalText(FIELD_MAX_CHARS.classification),
    grade: optionalText(FIELD_MAX_CHARS.grade),
    gradeStandard: optionalText(FIELD_MAX_CHARS.gradeStandard),
    damage: DamageSchema.optional(),
    binding: optionalText(FIELD_MAX_CHARS.binding),
    annotations: list(AnnotationSchema, LIST_MAX_ITEMS.annotations).optional(),
    layout: optionalText(FIELD_MAX_CHARS.layout),
    frameSize: optionalText(FIELD_MAX_CHARS.frameSize),
    pageSize: optionalText(FIELD_MAX_CHARS.pageSize),
    seals: list(text(FIELD_MAX_CHARS.seals), LIST_MAX_ITEMS.seals).optional(),
    series: optionalText(FIELD_MAX_CHARS.series),
    contents: list(text(FIELD_MAX_CHARS.contents), LIST_MAX_ITEMS.contents).optional(),
    boundWith: list(text(FIELD_MAX_CHARS.boundWith), LIST_MAX_ITEMS.boundWith).optional(),
    preciousListNumber: z.string().regex(/^\d{5}$/, 'must be the 5-digit number of the 国家珍贵古籍名录').optional(),
    notes: optionalText(FIELD_MAX_CHARS.notes),
    abstract: optionalText(FIELD_MAX_CHARS.abstract),
    presentation: PresentationSchema.optional(),
    partOf: PartOfSchema.optional(),
  })
  .strict();
export type RecordFields = z.infer<typeof RecordFieldsSchema>;

/** Census headings of each key, for messages, exports and the OpenAPI description. */
export const FIELD_HEADINGS: Readonly<Record<keyof RecordFields, string>> = {
  censusNumber: '普查编号', callNumber: '索书号', titleStatement: '题名卷数', creatorStatement: '著者',
  editionStatement: '版本', volumeCount: '册数', extant: '存卷', holdingUnit: '收藏单位', classification: '分类',
  grade: '定级', gradeStandard: '定级标准', damage: '破损级别', binding: '装帧', annotations: '批校题跋',
  layout: '版式行款', frameSize: '版框尺寸', pageSize: '开本尺寸', seals: '钤印', series: '丛书', contents: '子目',
  boundWith: '合订', preciousListNumber: '国家珍贵古籍名录号', notes: '附注', abstract: '提要', presentation: '影像展示', partOf: '所属多册作品',
};

const JuanSchema = z.object({
  text: derived, unit: z.enum(['卷', '回', '齣', '出', '種']).optional(), count: z.number().int().nullable(), unknownDigits: z.boolean(), undivided: z.boolean(),
});
const HistoricalDateSchema = z.object({
  display: derived, dynasty: derived.nullable(), reignEra: derived.nullable(),
  reignYear: z.number().int().nullable(), ganzhi: derived.nullable(),
  gregorianFrom: z.number().int().nullable(), gregorianTo: z.number().int().nullable(),
  precision: z.enum(['year', 'era', 'dynasty', 'approx']), uncertain: z.boolean(),
  country: derived.nullable().optional(), qualifier: z.enum(['間', '初', '中', '末', '前後']).nullable().optional(),
});
const EditionEventSchema = z.object({
  kind: z.enum(['carving', 'writing', 'printing', 'repair', 'reproduction']), act: derived,
  date: HistoricalDateSchema.nullable(), imprint: derived.nullable(),
});
const ClassificationSchema = z.object({
  division: derived, category: derived.nullable(), subcategory: derived.nullable(),
});

/**
 * Corrections a surveyor makes to derived structure. Each key replaces the derived value of the
 * same name wholesale and sticks across later edits of the statements.
 */
const derivedText = derived.refine((s) => s.trim().length > 0, 'must not be blank');
export const CorrectionsSchema = z
  .object({
    title: z.object({
      qualifier: derived.nullable(), title: derivedText, juan: JuanSchema.nullable(),
      supplements: list(z.object({ label: derived, juan: JuanSchema }), LIST_MAX_ITEMS['corrections.title.supplements']),
      extant: JuanSchema.nullable().optional(),
    }).strict(),
    creators: list(z.object({
      name: derivedText, dynasty: derived.nullable(), role: derived.nullable(), roleKey: derived.nullable(),
      uncertain: z.boolean(), etAl: z.boolean(),
    }).strict(), LIST_MAX_ITEMS['corrections.creators']),
    edition: z.object({
      type: derived.nullable(), subtypes: list(derived, LIST_MAX_ITEMS['corrections.edition.subtypes']), imprint: derived.nullable(),
      date: HistoricalDateSchema.nullable(),
      // Added with the edition events: optional, so corrections written before them stay valid.
      events: z.array(EditionEventSchema).max(8).optional(), holder: derived.nullable().optional(),
      base: z.object({ statement: derived, date: HistoricalDateSchema.nullable(), imprint: derived.nullable() }).strict().nullable().optional(),
      baseDate: HistoricalDateSchema.nullable().optional(), country: derived.nullable().optional(),
    }).strict(),
    classification: ClassificationSchema.nullable(),
  })
  .partial()
  .strict();
export type Corrections = z.infer<typeof CorrectionsSchema>;

export interface Derived {
  title: TitleStructure;
  /** 存卷 parsed: the 卷 the copy holds. Absent on records derived before it was read. */
  extant?: ExtantJuan | null;
  creators: Person[];
  edition: EditionStructure;
  classification: z.infer<typeof ClassificationSchema> | null;
  grade: { term: string; level: number; tier: string | null } | null;
  damage: { grade: string; rank: number; types: string[] } | null;
  binding: string | null;
}

export type RecordStatus = 'draft' | 'submitted' | 'returned' | 'approved' | 'published';
export const RECORD_STATUSES: readonly RecordStatus[] = ['draft', 'submitted', 'returned', 'approved', 'published'];

export interface CensusRecord {
  fields: RecordFields;
  corrections: Corrections;
  /** Derived from `fields`, with `corrections` applied. */
  derived: Derived;
  status: RecordStatus;
  /** Increases by one on every write; the ETag is built from it. */
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  updatedBy: string;
  /** Scanned pages on the record (digitized when above 0); absent on records never scanned. */
  pageCount?: number;
  /** The image of the first page, for thumbnails in lists; absent on records never scanned. */
  cover?: string;
}

/** 分类 as written — `經部　易類　傳說之屬`, `經部 易類`, `史部/地理類` — split into its levels. */
export function parseClassification(written: string, vocabulary: Vocabulary): Derived['classification'] {
  const parts = written.split(/[\s\u3000/／,，、·・-]+/).filter(Boolean);
  const division = parts[0] ? vocabulary.canonical('division', parts[0]) : null;
  if (!division) return null;
  return { division, category: parts[1] ?? null, subcategory: parts[2] ?? null };
}

/** Derives structure from the statements as written, then applies the surveyor's corrections. */
export function deriveRecord(fields: RecordFields, corrections: Corrections, vocabulary: Vocabulary): Derived {
  const grade = fields.grade ? vocabulary.canonical('grade', fields.grade) : null;
  const damageGrade = fields.damage ? vocabulary.canonical('damageGrade', fields.damage.grade) : null;
  const computed: Derived = {
    title: parseTitleStatement(fields.titleStatement),
    extant: fields.extant ? parseExtantStatement(fields.extant) : null,
    creators: fields.creatorStatement ? parseCreatorStatement(fields.creatorStatement, vocabulary) : [],
    edition: parseEditionStatement(fields.editionStatement, vocabulary),
    classification: fields.classification ? parseClassification(fields.classification, vocabulary) : null,
    grade: grade ? { term: grade, ...vocabulary.grades.get(grade)! } : null,
    damage:
      fields.damage && damageGrade
        ? {
            grade: damageGrade,
            rank: vocabulary.damageRanks.get(damageGrade)!,
            types: fields.damage.types.map((t) => vocabulary.canonical('damageType', t) ?? t),
          }
        : null,
    binding: fields.binding ? vocabulary.canonical('binding', fields.binding) : null,
  };
  return { ...computed, ...corrections } as Derived;
}

/**
 * Rules that need the vocabulary or cross two fields. Returns every problem at once. Tolerant of
 * values of the wrong type (the schema reports those), so that a request with a missing title
 * and an unknown grade hears about both.
 */
export function recordProblems(fields: Partial<Record<keyof RecordFields, unknown>>, vocabulary: Vocabulary): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const str = (v: unknown): v is string => typeof v === 'string';
  const closed = (field: string, list: 'grade' | 'binding', value: unknown) => {
    if (str(value) && !vocabulary.canonical(list, value)) problems.push({ field, problem: `must be one of ${vocabulary.terms(list).join(', ')}` });
  };
  if (str(fields.censusNumber)) {
    const cn = censusNumberProblem(fields.censusNumber);
    if (cn) problems.push({ field: 'censusNumber', problem: cn });
    const parts = parseCensusNumber(fields.censusNumber);
    if (parts && str(fields.holdingUnit) && /^\d{4}$/.test(fields.holdingUnit) && parts.unit !== fields.holdingUnit) {
      problems.push({ field: 'holdingUnit', problem: `must be the unit part of the census number (${parts.unit}), not ${fields.holdingUnit}` });
    }
  }
  closed('grade', 'grade', fields.grade);
  const standards = vocabulary.data.gradeStandards;
  if (str(fields.gradeStandard) && !standards.includes(fields.gradeStandard)) {
    problems.push({ field: 'gradeStandard', problem: `must be one of ${standards.join(', ')}` });
  }
  const damage = fields.damage as { grade?: unknown; types?: unknown } | undefined;
  if (damage && typeof damage === 'object') {
    if (str(damage.grade) && damage.grade.trim() && !vocabulary.canonical('damageGrade', damage.grade)) {
      problems.push({ field: 'damage.grade', problem: `must be one of ${vocabulary.terms('damageGrade').join(', ')}` });
    }
    if (Array.isArray(damage.types)) {
      damage.types.forEach((t, i) => {
        if (str(t) && !vocabulary.canonical('damageType', t)) {
          problems.push({ field: `damage.types.${i}`, problem: `must be one of ${vocabulary.terms('damageType').join(', ')}` });
        }
      });
    }
  }
  if (str(fields.classification) && !parseClassification(fields.classification, vocabulary)) {
    problems.push({ field: 'classification', problem: `must begin with a 四部 division: ${vocabulary.terms('division').join(', ')}` });
  }
  closed('binding', 'binding', fields.binding);
  return problems;
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** Field-level differences between two versions, for the history (who changed what). */
export function diffRecords(
  before: { fields?: RecordFields; corrections?: Corrections; status?: RecordStatus },
  after: { fields: RecordFields; corrections: Corrections; status: RecordStatus },
): FieldChange[] {
  const changes: FieldChange[] = [];
  const compare = (prefix: string, a: Record<string, unknown>, b: Record<string, unknown>) => {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) {
        changes.push({ field: prefix + key, before: a[key] ?? null, after: b[key] ?? null });
      }
    }
  };
  compare('', before.fields ?? {}, after.fields);
  compare('corrections.', before.corrections ?? {}, after.corrections);
  if (before.status !== after.status) changes.push({ field: 'status', before: before.status ?? null, after: after.status });
  return changes;
}

/**
 * What re-deriving a record changes: each derived part (title, creators, edition …) whose value
 * differs, as `derived.<part>`, for the history and the report of `npm run rederive-records`.
 */
export function diffDerived(before: Partial<Derived>, after: Derived): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof Derived>) {
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)) {
      changes.push({ field: `derived.${key}`, before: before[key] ?? null, after: after[key] ?? null });
    }
  }
  return changes;
}

/** The values records are filtered, sorted and counted by; every store indexes these. */
export interface RecordFacets {
  status: RecordStatus;
  unit: string;
  editionType: string | null;
  dynasty: string | null;
  division: string | null;
  grade: string | null;
  damageGrade: string | null;
  yearFrom: number | null;
  yearTo: number | null;
}

export function recordFacets(record: CensusRecord): RecordFacets {
  const date = record.derived.edition.date;
  return {
    status: record.status,
    unit: parseCensusNumber(record.fields.censusNumber)?.unitKey ?? '',
    editionType: record.derived.edition.type,
    dynasty: date?.dynasty ?? null,
    division: record.derived.classification?.division ?? null,
    grade: record.derived.grade?.term ?? null,
    damageGrade: record.derived.damage?.grade ?? null,
    yearFrom: date?.gregorianFrom ?? null,
    yearTo: date?.gregorianTo ?? null,
  };
}

/** What a client sends: the fields, plus any corrections to derived structure. */
export const RecordInputSchema = RecordFieldsSchema.extend({ corrections: CorrectionsSchema.optional() }).strict();
export type RecordInput = z.infer<typeof RecordInputSchema>;

/**
 * Keys the service writes itself. A client that reads a record, edits it and sends it back may
 * leave them in; they are ignored rather than refused.
 */
export const READ_ONLY_KEYS = [
  'derived', 'status', 'version', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'links', 'pageCount', 'cover', 'pages', 'actions',
] as const;

export function withoutReadOnlyKeys(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const key of READ_ONLY_KEYS) delete copy[key];
  return copy;
}
