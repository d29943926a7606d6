/**
 * Controlled vocabularies: which edition types, grades, damage grades and types, bindings,
 * 四部 divisions and 著作方式 the census knows, each with the forms surveyors write (traditional,
 * simplified, synonyms such as 刊本 → 刻本, 鈔本 → 抄本, 聚珍版 → 活字本). Pure: the JSON is
 * read by the composition root (src/config.ts) and handed in.
 */
import { z } from 'zod';
import defaults from './vocabulary.default.json' with { type: 'json' };

const Term = z.object({ term: z.string().min(1), forms: z.array(z.string().min(1)).min(1) });

export const VocabularySchema = z.object({
  editionTypes: z.array(Term.extend({ weakForms: z.array(z.string().min(1)).optional() })).min(1),
  editionMarkers: z.array(Term.extend({ implies: z.string().optional() })),
  grades: z.array(Term.extend({ level: z.number().int().min(1).max(4), tier: z.string().nullable() })).min(1),
  gradeStandards: z.array(z.string().min(1)).min(1),
  damageGrades: z.array(Term.extend({ rank: z.number().int() })).min(1),
  damageTypes: z.array(Term),
  bindings: z.array(Term),
  divisions: z.array(Term).min(1),
  roles: z.array(z.string().min(1)).min(1),
  roleFolds: z.record(z.string(), z.string()),
});
export type VocabularyData = z.infer<typeof VocabularySchema>;

interface Form {
  term: string;
  match: (text: string) => { index: number; length: number } | null;
  weak: boolean;
  implies?: string;
}

function formMatcher(form: string): Form['match'] {
  if (form.length > 2 && form.startsWith('/') && form.endsWith('/')) {
    const re = new RegExp(form.slice(1, -1), 'g');
    return (text) => {
      let last: { index: number; length: number } | null = null;
      for (const m of text.matchAll(re)) last = { index: m.index, length: m[0].length };
      return last;
    };
  }
  return (text) => {
    const index = text.lastIndexOf(form);
    return index === -1 ? null : { index, length: form.length };
  };
}

export interface TermMatch {
  term: string;
  index: number;
  length: number;
  weak: boolean;
  implies?: string;
}

/** Finds, among a list of forms, the one that ends last in the text (the longest on a tie). */
function lastMatch(forms: readonly Form[], text: string): TermMatch | null {
  let best: TermMatch | null = null;
  for (const f of forms) {
    const m = f.match(text);
    if (!m) continue;
    const end = m.index + m.length;
    const bestEnd = best ? best.index + best.length : -1;
    if (!best || end > bestEnd || (end === bestEnd && m.length > best.length)) {
      best = { term: f.term, index: m.index, length: m.length, weak: f.weak, ...(f.implies ? { implies: f.implies } : {}) };
    }
  }
  return best;
}

export class Vocabulary {
  private readonly editionForms: Form[];
  private readonly markerForms: Form[];
  private readonly exact: Map<string, Map<string, string>>;
  readonly grades: ReadonlyMap<string, { level: number; tier: string | null }>;
  readonly damageRanks: ReadonlyMap<string, number>;
  /** 著作方式 forms, longest first so that 纂修 wins over 修. */
  readonly roles: readonly string[];

  constructor(readonly data: VocabularyData) {
    this.editionForms = data.editionTypes.flatMap((t) => [
      ...t.forms.map((f) => ({ term: t.term, match: formMatcher(f), weak: false })),
      ...(t.weakForms ?? []).map((f) => ({ term: t.term, match: formMatcher(f), weak: true })),
    ]);
    this.markerForms = data.editionMarkers.flatMap((t) =>
      t.forms.map((f) => ({ term: t.term, match: formMatcher(f), weak: false, ...(t.implies ? { implies: t.implies } : {}) })),
    );
    const index = (terms: readonly { term: string; forms: readonly string[] }[]) =>
      new Map(terms.flatMap((t) => [[t.term, t.term] as const, ...t.forms.map((f) => [f, t.term] as const)]));
    this.exact = new Map([
      ['grade', index(data.grades)],
      ['damageGrade', index(data.damageGrades)],
      ['damageType', index(data.damageTypes)],
      ['binding', index(data.bindings)],
      ['division', index(data.divisions)],
    ]);
    this.grades = new Map(data.grades.map((g) => [g.term, { level: g.level, tier: g.tier }]));
    this.damageRanks = new Map(data.damageGrades.map((g) => [g.term, g.rank]));
    this.roles = [...new Set(data.roles)].sort((a, b) => b.length - a.length);
  }

  /** The canonical term of a value written in a closed list (grade, damage, binding …), or null. */
  canonical(list: 'grade' | 'damageGrade' | 'damageType' | 'binding' | 'division', written: string): string | null {
    return this.exact.get(list)!.get(written.trim()) ?? null;
  }

  terms(list: 'grade' | 'damageGrade' | 'damageType' | 'binding' | 'division'): string[] {
    return [...new Set(this.exact.get(list)!.values())];
  }

  /** The edition-type form that ends last in a statement (the type closes an edition statement). */
  editionType(statement: string): TermMatch | null {
    return lastMatch(this.editionForms, statement);
  }

  /** Every marker (铜活字, 递修, 蓝印 …) found in a statement, in the order written. */
  editionMarkers(statement: string): TermMatch[] {
    const found = new Map<string, TermMatch>();
    for (const f of this.markerForms) {
      const m = f.match(statement);
      if (m && !found.has(f.term)) found.set(f.term, { term: f.term, ...m, weak: false, ...(f.implies ? { implies: f.implies } : {}) });
    }
    return [...found.values()].sort((a, b) => a.index - b.index);
  }

  /** Folds a written 著作方式 for comparison and search: 註 → 注, 勅 → 敕. */
  foldRole(role: string): string {
    const whole = this.data.roleFolds[role];
    if (whole) return whole;
    return [...role].map((c) => this.data.roleFolds[c] ?? c).join('');
  }
}

export const DEFAULT_VOCABULARY_DATA: VocabularyData = VocabularySchema.parse(defaults);
export const defaultVocabulary = (): Vocabulary => new Vocabulary(DEFAULT_VOCABULARY_DATA);
