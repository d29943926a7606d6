/**
 * The census record (普查登记): the fields a surveyor writes, as written, and the structure the
 * service derives from them. Field keys are fixed by ../shared/API.md; the census meanings come
 * from WH/T 21-2006 and the NLC's templates (../shared/DOMAIN.md).
 */
import { z } from 'zod';
import { parseCensusNumber, censusNumberProblem } from './census-number.js';
import { parseCreatorStatement, type Person } from './creator-statement.js';
import { parseEditionStatement, type EditionStructure } from './edition-statement.js';
import type { FieldProblem } from './errors.js';
import { parseExtantStatement, parseTitleStatement, type ExtantJuan, type TitleStructure } from './title-statement.js';
import type { Vocabulary } from './vocabulary.js';

const text = z.string().refine((s) => s.trim().length > 0, 'must not be blank');
const optionalText = z.string().optional();

/** 批校题跋: who annotated the copy and how (批, 校, 題, 跋, 識 …). */
export const AnnotationSchema = z
  .object({ person: text, dynasty: optionalText, role: text, text: optionalText })
  .strict();
export type Annotation = z.infer<typeof AnnotationSchema>;

export const DamageSchema = z
  .object({ grade: text, types: z.array(text).default([]), notes: optionalText })
  .strict();

/** Creative Commons or RightsStatements.org URIs: what IIIF Presentation 3.0 (§3.3.1, rights) expects. */
export const RightsUriSchema = z
  .string()
  .regex(/^https?:\/\/(creativecommons\.org|rightsstatements\.org)\//, 'must be a Creative Commons or RightsStatements.org URI (IIIF Presentation 3.0, rights)');

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

/** The keys a surveyor writes. Everything is kept exactly as sent (no trimming, no folding). */
export const RecordFieldsSchema = z
  .object({
    censusNumber: z.string(),
    callNumber: text,
    titleStatement: text,
    creatorStatement: optionalText,
    editionStatement: text,
    volumeCount: z.number().int('must be a whole number').min(1, 'must be at least 1'),
    extant: optionalText,
    holdingUnit: z.string().regex(/^\d{4}$/, 'must be the 4-digit unit code (the UUUU of the census number)'),
    classification: optionalText,
    grade: optionalText,
    gradeStandard: optionalText,
    damage: DamageSchema.optional(),
    binding: optionalText,
    annotations: z.array(AnnotationSchema).optional(),
    layout: optionalText,
    frameSize: optionalText,
    pageSize: optionalText,
    seals: z.array(text).optional(),
    series: optionalText,
    contents: z.array(text).optional(),
    boundWith: z.array(text).optional(),
    preciousListNumber: z.string().regex(/^\d{5}$/, 'must be the 5-digit number of the 国家珍贵古籍名录').optional(),
    notes: optionalText,
    abstract: optionalText,
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
  text: z.string(), unit: z.enum(['卷', '回', '齣', '出', '種']).optional(), count: z.number().int().nullable(), unknownDigits: z.boolean(), undivided: z.boolean(),
});
const HistoricalDateSchema = z.object({
  display: z.string(), dynasty: z.string().nullable(), reignEra: z.string().nullable(),
  reignYear: z.number().int().nullable(), ganzhi: z.string().nullable(),
  gregorianFrom: z.number().int().nullable(), gregorianTo: z.number().int().nullable(),
  precision: z.enum(['year', 'era', 'dynasty', 'approx']), uncertain: z.boolean(),
  country: z.string().nullable().optional(), qualifier: z.enum(['間', '初', '中', '末', '前後']).nullable().optional(),
});
const EditionEventSchema = z.object({
  kind: z.enum(['carving', 'writing', 'printing', 'repair', 'reproduction']), act: z.string(),
  date: HistoricalDateSchema.nullable(), imprint: z.string().nullable(),
});
const ClassificationSchema = z.object({
  division: z.string(), category: z.string().nullable(), subcategory: z.string().nullable(),
});

/**
 * Corrections a surveyor makes to derived structure. Each key replaces the derived value of the
 * same name wholesale and sticks across later edits of the statements.
 */
export const CorrectionsSchema = z
  .object({
    title: z.object({
      qualifier: z.string().nullable(), title: text, juan: JuanSchema.nullable(),
      supplements: z.array(z.object({ label: z.string(), juan: JuanSchema })),
      extant: JuanSchema.nullable().optional(),
    }).strict(),
    creators: z.array(z.object({
      name: text, dynasty: z.string().nullable(), role: z.string().nullable(), roleKey: z.string().nullable(),
      uncertain: z.boolean(), etAl: z.boolean(),
    }).strict()),
    edition: z.object({
      type: z.string().nullable(), subtypes: z.array(z.string()), imprint: z.string().nullable(),
      date: HistoricalDateSchema.nullable(),
      // Added with the edition events: optional, so corrections written before them stay valid.
      events: z.array(EditionEventSchema).max(8).optional(), holder: z.string().nullable().optional(),
      base: z.object({ statement: z.string(), date: HistoricalDateSchema.nullable(), imprint: z.string().nullable() }).strict().nullable().optional(),
      baseDate: HistoricalDateSchema.nullable().optional(), country: z.string().nullable().optional(),
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
