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

/** A label in the interface's two languages: `zh` is also the key the pages translate by. */
export interface Label {
  zh: string;
  en: string;
}

/** How a sheet cell is read: `code` is a census number or unit code, where a stray space is a typing slip. */
export type SheetKind = 'text' | 'code' | 'integer' | 'list' | 'annotations';

/** How the census form edits a field (text when absent). */
export interface FormControl {
  kind?: 'integer' | 'choice' | 'checkboxes' | 'lines' | 'long';
  /** The controlled vocabulary (GET /api/vocabularies) its choices come from. */
  vocabulary?: 'divisions' | 'grades' | 'gradeStandards' | 'damageGrades' | 'damageTypes' | 'bindings';
  hint?: Label;
  /** Choices that are codes, with their labels. */
  options?: readonly { value: string; label: Label }[];
}

/**
 * One census field: a key of the record (`damage`) or a part of one (`damage.grade`). Keys carry
 * their zod schema; parts are declared for the sheet, the form and labels.
 */
export interface CensusField<K extends string = string, S extends z.ZodType | undefined = z.ZodType | undefined> {
  key: K;
  schema: S;
  /** Its label; `zh` is the census heading the sheet writes (DOMAIN.md). */
  label: Label;
  /** Its column in census sheets: other headings import accepts (the JSON key always), how a cell is read. */
  sheet?: { aliases?: readonly string[]; kind?: SheetKind };
  /** A key whose parts have columns: what a part written alone starts from. */
  partsStartFrom?: Readonly<Record<string, unknown>>;
  /** Shown in the census form and on the record page (GET /api/schema). */
  form?: FormControl;
  /**
   * In the IIIF manifest's metadata: under its label (or another English one), with its value as
   * written or as `value` gives it.
   */
  manifest?: { en?: string; value?: (record: CensusRecord, unitName: string) => string | undefined };
}

const key = <K extends string, S extends z.ZodType>(name: K, schema: S, declaration: Omit<CensusField, 'key' | 'schema'>) =>
  ({ key: name, schema, ...declaration }) as CensusField<K, S>;
const part = <K extends string>(name: K, declaration: Omit<CensusField, 'key' | 'schema'>) => ({ key: name, schema: undefined, ...declaration }) as CensusField<K, undefined>;
const label = (zh: string, en: string): Label => ({ zh, en });
const long: FormControl = { kind: 'long' };
/** A choice among the values of an enum, each labelled (the type asks for a label of every value). */
const choice = <V extends string>(schema: z.ZodOptional<z.ZodEnum<Record<V, V>>>, labels: Record<V, Label>): FormControl => ({
  kind: 'choice', options: schema.unwrap().options.map((value) => ({ value, label: labels[value] })),
});
const lines: FormControl = { kind: 'lines' };

/**
 * Every census field, once, in the order of the census sheet and form: its schema (everything is
 * kept exactly as sent: no trimming, no folding), label, sheet column, form control and manifest
 * entry. The record schema, the sheet columns (census-sheet.ts), the manifest's metadata and the
 * pages' field list (GET /api/schema) are derived from it; adding a field is one entry here, its
 * labels and its tests (docs/CHANGE-TRACES.md).
 */
export const CENSUS_FIELDS = [
  key('censusNumber', boundedText(FIELD_MAX_CHARS.censusNumber), {
    label: label('普查编号', 'Census number'), sheet: { aliases: ['普查編號'], kind: 'code' }, manifest: {},
    form: { hint: label('编号格式：省级代码-单位代码-七位顺序号，如 430000-0001-0000001', 'Format: province-unit-7-digit sequence, e.g. 430000-0001-0000001') },
  }),
  key('callNumber', text(FIELD_MAX_CHARS.callNumber), { label: label('索书号', 'Call number'), sheet: { aliases: ['索書號'] }, form: {}, manifest: {} }),
  key('titleStatement', text(FIELD_MAX_CHARS.titleStatement), {
    label: label('题名卷数', 'Title and juan'), sheet: { aliases: ['題名卷數'] }, manifest: { en: 'Title' },
    form: { hint: label('照录题名卷数，如：金華府志三十卷', 'Title with juan count as written, e.g. 金華府志三十卷') },
  }),
  key('creatorStatement', optionalText(FIELD_MAX_CHARS.creatorStatement), { label: label('著者', 'Creators'), sheet: {}, form: {}, manifest: {} }),
  key('editionStatement', text(FIELD_MAX_CHARS.editionStatement), {
    label: label('版本', 'Edition'), sheet: {}, manifest: {},
    form: { hint: label('照录，如：明嘉靖三十年（1551）芝城銅活字印本', 'As written, e.g. 明嘉靖三十年（1551）芝城銅活字印本') },
  }),
  key('volumeCount', countSchema, {
    label: label('册数', 'Volumes (册)'), sheet: { aliases: ['冊數', '册數'], kind: 'integer' }, form: { kind: 'integer' }, manifest: { en: 'Volumes' },
  }),
  key('extant', optionalText(FIELD_MAX_CHARS.extant), { label: label('存卷', 'Extant juan'), sheet: {}, form: {}, manifest: { en: 'Extant' } }),
  key('holdingUnit', z.string().regex(/^\d{4}$/, 'must be the 4-digit unit code (the UUUU of the census number)'), {
    label: label('收藏单位', 'Holding unit'), sheet: { aliases: ['收藏單位'], kind: 'code' },
    form: { hint: label('四位单位代码（普查编号的第二段）', 'The 4-digit unit code (second part of the census number)') },
    // The unit's name, not its code: a manifest is read by people.
    manifest: { en: 'Holding institution', value: (_, unitName) => unitName },
  }),
  key('classification', optionalText(FIELD_MAX_CHARS.classification), {
    label: label('分类', 'Classification'), sheet: { aliases: ['分類'] }, form: { vocabulary: 'divisions' }, manifest: {},
  }),
  key('grade', optionalText(FIELD_MAX_CHARS.grade), {
    label: label('定级', 'Grade'), sheet: { aliases: ['定級', '古籍定级', '古籍定級'] }, form: { kind: 'choice', vocabulary: 'grades' }, manifest: {},
  }),
  key('gradeStandard', optionalText(FIELD_MAX_CHARS.gradeStandard), {
    label: label('定级标准', 'Grading standard'), sheet: { aliases: ['定級標準'] }, form: { kind: 'choice', vocabulary: 'gradeStandards' },
  }),
  key('damage', DamageSchema.optional(), { label: label('破损', 'Damage'), partsStartFrom: { grade: '', types: [] } }),
  part('damage.grade', {
    label: label('破损级别', 'Damage grade'), sheet: { aliases: ['破損級別', '破损定级', '破損定級'] }, form: { kind: 'choice', vocabulary: 'damageGrades' },
  }),
  part('damage.types', {
    label: label('破损类型', 'Damage types'), sheet: { aliases: ['破損類型'], kind: 'list' }, form: { kind: 'checkboxes', vocabulary: 'damageTypes' },
  }),
  part('damage.notes', { label: label('破损说明', 'Damage notes'), sheet: { aliases: ['破損說明'] }, form: {} }),
  key('binding', optionalText(FIELD_MAX_CHARS.binding), { label: label('装帧', 'Binding'), sheet: { aliases: ['裝幀'] }, form: { kind: 'choice', vocabulary: 'bindings' } }),
  key('layout', optionalText(FIELD_MAX_CHARS.layout), { label: label('版式行款', 'Layout'), sheet: {}, form: {} }),
  key('frameSize', optionalText(FIELD_MAX_CHARS.frameSize), { label: label('版框尺寸', 'Frame size'), sheet: {}, form: {} }),
  key('pageSize', optionalText(FIELD_MAX_CHARS.pageSize), { label: label('开本尺寸', 'Page size'), sheet: { aliases: ['開本尺寸'] }, form: {} }),
  // Not in the form: the record page shows annotations by themselves, and the API edits them.
  key('annotations', list(AnnotationSchema, LIST_MAX_ITEMS.annotations).optional(), {
    label: label('批校题跋', 'Annotations (批校题跋)'), sheet: { aliases: ['批校題跋'], kind: 'annotations' },
  }),
  key('seals', list(text(FIELD_MAX_CHARS.seals), LIST_MAX_ITEMS.seals).optional(), { label: label('钤印', 'Seals'), sheet: { aliases: ['鈐印'], kind: 'list' }, form: lines }),
  key('series', optionalText(FIELD_MAX_CHARS.series), { label: label('丛书', 'Series'), sheet: { aliases: ['叢書'] }, form: {} }),
  key('contents', list(text(FIELD_MAX_CHARS.contents), LIST_MAX_ITEMS.contents).optional(), { label: label('子目', 'Contents'), sheet: { kind: 'list' }, form: lines }),
  key('boundWith', list(text(FIELD_MAX_CHARS.boundWith), LIST_MAX_ITEMS.boundWith).optional(), {
    label: label('合订', 'Bound with'), sheet: { aliases: ['合訂'], kind: 'list' }, form: lines,
  }),
  key('preciousListNumber', z.string().regex(/^\d{5}$/, 'must be the 5-digit number of the 国家珍贵古籍名录').optional(), {
    label: label('国家珍贵古籍名录号', 'National Precious Books List no.'), sheet: { aliases: ['國家珍貴古籍名錄號'] }, form: {},
  }),
  key('notes', optionalText(FIELD_MAX_CHARS.notes), { label: label('附注', 'Notes'), sheet: { aliases: ['附註'] }, form: long }),
  key('abstract', optionalText(FIELD_MAX_CHARS.abstract), { label: label('提要', 'Abstract'), sheet: {}, form: long }),
  // One part of a multi-volume work digitized as separate records: the parts share the key.
  key('partOf', PartOfSchema.optional(), { label: label('所属多册作品', 'Part of the multi-volume work') }),
  part('partOf.work', {
    label: label('所属多册作品', 'Part of the multi-volume work'),
    form: { hint: label('同一作品各部分共用的标识，如 資治通鑑-同治江蘇書局', 'A key all parts of the work share, e.g. 資治通鑑-同治江蘇書局') },
  }),
  part('partOf.sequence', { label: label('分册序号', 'Part number'), form: { kind: 'integer' } }),
  // How the digitized book is shown (IIIF), when not as its binding implies; its licence when not the service's.
  key('presentation', PresentationSchema.optional(), { label: label('影像展示', 'Presentation (viewer)') }),
  part('presentation.viewingDirection', {
    label: label('影像翻页方向', 'Page order (viewer)'),
    form: choice(PresentationSchema.shape.viewingDirection, {
      'right-to-left': label('自右向左', 'right to left'), 'left-to-right': label('自左向右', 'left to right'),
      'top-to-bottom': label('自上而下', 'top to bottom'), 'bottom-to-top': label('自下而上', 'bottom to top'),
    }),
  }),
  part('presentation.behavior', {
    label: label('影像显示方式', 'Layout (viewer)'),
    form: choice(PresentationSchema.shape.behavior, {
      paged: label('翻页', 'paged'), continuous: label('连续（卷轴）', 'continuous (scroll)'), individuals: label('单页', 'single pages'),
    }),
  }),
  part('presentation.rights', {
    label: label('影像许可', 'Image licence'),
    form: { hint: label('默认为公有领域标记；须为 Creative Commons 或 RightsStatements.org 的 URI', 'Public Domain Mark unless set; a Creative Commons or RightsStatements.org URI') },
  }),
] as const;

type FieldRow = (typeof CENSUS_FIELDS)[number];
type RecordFieldsShape = { [F in Extract<FieldRow, { schema: z.ZodType }> as F['key']]: F['schema'] };

/** The keys a surveyor writes, from CENSUS_FIELDS. */
export const RecordFieldsSchema = z
  .object(Object.fromEntries(CENSUS_FIELDS.filter((f) => f.schema).map((f) => [f.key, f.schema])) as RecordFieldsShape)
  .strict();
export type RecordFields = z.infer<typeof RecordFieldsSchema>;

/** Whether a record must have the field (its schema refuses it absent). */
/** The census heading (its Chinese label) of a field or a part of one, as CENSUS_FIELDS declares it. */
export function fieldHeading(key: string): string {
  const field = CENSUS_FIELDS.find((f) => f.key === key);
  if (!field) throw new Error(`No census field ${key}`);
  return field.label.zh;
}

export const isRequired = (field: CensusField) => field.schema !== undefined && !field.schema.safeParse(undefined).success;

/** A field's value as text for the manifest's metadata; undefined when absent or not text. */
function writtenValue(record: CensusRecord, key: string): string | undefined {
  const value = (record.fields as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** The record's fields the manifest describes it by (CensusField.manifest), in table order; absent ones left out. */
export function manifestFieldsOf(record: CensusRecord, unitName: string): { label: Label; value: string }[] {
  return (CENSUS_FIELDS as readonly CensusField[]).flatMap((f) => {
    if (!f.manifest) return [];
    const value = f.manifest.value ? f.manifest.value(record, unitName) : writtenValue(record, f.key);
    return value ? [{ label: { zh: f.label.zh, en: f.manifest.en ?? f.label.en }, value }] : [];
  });
}

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
