/**
 * 著者: each person as `（朝代）姓名著作方式`, e.g. `（明）王懋德（明）陸鳳儀纂修`,
 * `（漢）鄭玄注（唐）孔穎達疏`, `（清）紀昀等奉敕撰`. A 著作方式 written once after several
 * persons applies to each of them (WH/T 21-2006 writes shared roles once, after the last name).
 */
import type { Vocabulary } from './vocabulary.js';

export interface Person {
  name: string;
  /** The dynasty as written in the brackets (without a trailing ?), or null. */
  dynasty: string | null;
  /** 著作方式 as written (註, 纂修, 奉敕撰 …), or null when none was written. */
  role: string | null;
  /** The role folded for comparison (註 → 注, 勅 → 敕). */
  roleKey: string | null;
  /** True when the dynasty or attribution is marked doubtful (（唐?）, 題, 舊題). */
  uncertain: boolean;
  /** True for 等 after the name: further persons not named. */
  etAl: boolean;
}

// One person segment: an optional （dynasty） then text up to the next bracket.
const SEGMENT = /(?:[（(]([^）)]*)[）)])?([^（(]+)/g;
const SEPARATORS = /[、，,；;\s]+/;

export function parseCreatorStatement(statement: string, vocabulary: Vocabulary): Person[] {
  const persons: Person[] = [];
  let pendingWithoutRole: Person[] = [];
  let attributedNext = false;
  const segments = [...statement.trim().matchAll(SEGMENT)];
  const several = segments.flatMap((m) => m[2]!.trim().split(SEPARATORS).filter(Boolean)).length > 1;
  for (const m of segments) {
    const dynastyText = (m[1] ?? '').trim();
    let uncertain = /[?？]/.test(dynastyText) || attributedNext;
    attributedNext = false;
    const dynasty = dynastyText.replace(/[?？]/g, '').trim() || null;
    let body = m[2]!.trim();
    if (!body) continue;
    // `題（漢）東方朔撰`: the attribution mark stands before the bracket of the person it doubts.
    if (/^(?:舊題|旧题|題|题)$/.test(body)) {
      attributedNext = true;
      continue;
    }
    // 題 / 舊題 before a name marks a traditional attribution.
    const attributed = /^(?:舊題|旧题|題|题)/.exec(body);
    if (attributed && body.length > attributed[0].length + 1) {
      uncertain = true;
      body = body.slice(attributed[0].length);
    }
    const names = body.split(SEPARATORS).filter(Boolean);
    for (const nameWithRole of names) {
      let { name, role } = splitRole(nameWithRole, vocabulary, several);
      let etAl = false;
      if (name.endsWith('等') && name.length > 2) {
        etAl = true;
        name = name.slice(0, -1);
      }
      const person: Person = {
        name,
        dynasty,
        role,
        roleKey: role ? vocabulary.foldRole(role) : null,
        uncertain,
        etAl,
      };
      persons.push(person);
      if (role) {
        for (const p of pendingWithoutRole) {
          p.role = role;
          p.roleKey = person.roleKey;
        }
        pendingWithoutRole = [];
      } else {
        pendingWithoutRole.push(person);
      }
    }
  }
  return persons;
}

// Two-character surnames: 歐陽修 is a name, not 歐陽 with the role 修.
export const COMPOUND_SURNAMES = new Set(
  '歐陽 欧阳 司馬 司马 諸葛 诸葛 上官 東方 东方 皇甫 令狐 宇文 長孫 长孙 慕容 尉遲 尉迟 公孫 公孙 夏侯 聞人 闻人 澹臺 澹台 司徒 司空 鮮于 鲜于 申屠 太史 端木 軒轅 轩辕 呼延 獨孤 独孤 淳于 單于 单于 完顏 完颜 納蘭 纳兰 愛新覺羅'.split(' '),
);

/**
 * 同撰, 合撰, 同輯 …: a joint role says someone else shares the work, so it is read only when the
 * statement names another person — alone, 周應合撰 and 萬斯同撰 are 周應合 and 萬斯同 with 撰.
 */
const JOINT_ROLE = /^[同合]/;

/**
 * Splits `陸鳳儀纂修` into 陸鳳儀 and 纂修, keeping at least two characters of name. Roles are
 * tried longest first (`李贄批評` is 李贄 + 批評, not 李贄批 + 評).
 */
function splitRole(text: string, vocabulary: Vocabulary, several: boolean): { name: string; role: string | null } {
  for (const role of vocabulary.roles) {
    const name = text.slice(0, -role.length);
    if (!several && JOINT_ROLE.test(role)) continue;
    if (text.endsWith(role) && name.length >= 2 && !COMPOUND_SURNAMES.has(name)) {
      return { name, role };
    }
  }
  return { name: text, role: null };
}
