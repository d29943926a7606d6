/**
 * 著者: each person as `（朝代）姓名著作方式`, e.g. `（明）王懋德（明）陸鳳儀纂修`,
 * `（漢）鄭玄注（唐）孔穎達疏`, `（清）紀昀等奉敕撰`. A 著作方式 written once after several
 * persons applies to each of them (WH/T 21-2006 writes shared roles once, after the last name).
 *
 * Across a dynasty bracket a role passes back only to role-less persons of the SAME dynasty,
 * the nearest first, and stops at the first person of another dynasty:
 * - `（明）王懋德（明）陸鳳儀纂修` (docs/DOMAIN.md, a record of the national census list) is how
 *   the census form writes co-authors: both 纂修. Reading roles only inside their own bracket
 *   would leave every co-author of the lists without a role (18 real statements of our tests:
 *   the 修/纂 pairs of the gazetteers, the 奉敕撰 boards, 歐陽修 and 宋祁).
 * - `（魏）王弼（晉）韓康伯註`: a later dynasty's 注, 評, 輯 or 補 is that later person's work on
 *   the earlier one's text; co-authors are contemporaries. Passing it back would make the earlier
 *   author a commentator on his own book, a wrong statement of fact, where leaving the role
 *   empty (null, "not written") is only incomplete. The person is kept; the role stays unknown.
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
        // Back to the role-less persons of this person's dynasty only (see the head of the file).
        for (let i = pendingWithoutRole.length - 1; i >= 0 && pendingWithoutRole[i]!.dynasty === dynasty; i--) {
          pendingWithoutRole[i]!.role = role;
          pendingWithoutRole[i]!.roleKey = person.roleKey;
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
