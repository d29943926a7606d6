/**
 * Folding for search: traditional, simplified and variant forms of a character become one form,
 * so 通書類聚 finds 通书类聚 and 資治通鑑 finds 资治通鉴. Only search fields are folded; records
 * keep the text as written.
 *
 * Character by character, never by phrase: OpenCC's phrase converter is context dependent
 * (乾隆 stays 乾隆 while a lone 乾 becomes 干), which loses matches; a table from one character
 * to one character also keeps the string's length, so match offsets map back onto the text as
 * written (docs/SEARCH.md). The table is OpenCC's traditional→simplified character data
 * (opencc-js) behind a curated list of variants that OpenCC does not merge (淸, 尅, 勅 …) and
 * of forms the catalogue treats as one (鈔/抄, 刊/刻, 註/注).
 */
import TS_CHARACTERS from 'opencc-js/dict/TSCharacters';
import COMPATIBILITY from 'opencc-js/dict/CJK_Compatibility_Ideographs';

/** variant → standard, each pair two characters; the standard is folded further through OpenCC. */
const CURATED = `
淸清 尅剋 勅敕 勑敕 敇敕 鈔抄 钞抄 刊刻 刋刻 註注 箋笺 牋笺 衆众 眾众 敎教 眞真 説说 爲为 僞伪 戶户 戸户 峯峰 羣群 綫线 銕铁 箇个 卽即 旣既 槪概 硏研 鷄鸡 雞鸡 緖绪 淨净 鬭斗 鬬斗 兎兔 冊册 巻卷 僊仙 菴庵 疎疏 䟽疏 踈疏 彫雕 琱雕 鏤镂 並并 併并 裏里 裡里 遊游 於于 歎叹 嘆叹 蹟迹 跡迹 凟渎 瀆渎 脩修 攷考 畧略 畫画 晝昼 嶽岳 隣邻 鄰邻 叚假 廼乃 迺乃 迴回 廻回 囘回 姪侄 讚赞 讃赞 兇凶 恥耻 鍼针 針针 柰奈 奬奖 獎奖 皐皋 臯皋 稾稿 藁稿 槀稿 菓果 蹤踪 綵彩 幷并 弔吊 銹锈 鏽锈 啓启 啟启 彊强 羮羹 媿愧 氷冰 沖冲 涼凉 決决 况况 況况
`;

function pairs(text: string): [string, string][] {
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((p) => [...p] as [string, string]);
}

function openccTable(data: string): Map<string, string> {
  const table = new Map<string, string>();
  for (const entry of data.split('|')) {
    const [from, to] = entry.split(' ');
    // One to one only: the first candidate keeps the length (OpenCC lists the usual one first).
    if (from && to && [...from].length === 1 && [...to].length === 1) table.set(from, to);
  }
  return table;
}

const curated = new Map(pairs(CURATED));
const compatibility = openccTable(COMPATIBILITY);
const simplified = openccTable(TS_CHARACTERS);

function foldChar(c: string): string {
  let x = compatibility.get(c) ?? c;
  x = curated.get(x) ?? x;
  x = simplified.get(x) ?? x;
  // Simplified variants the curated list names (钞 → 抄), and chains such as 尅 → 剋 → 克.
  x = curated.get(x) ?? x;
  return simplified.get(x) ?? x;
}

const FOLD = new Map<string, string>();
for (const c of new Set([...curated.keys(), ...curated.values(), ...simplified.keys(), ...compatibility.keys()])) {
  const folded = foldChar(c);
  if (folded !== c) FOLD.set(c, folded);
}

/**
 * Folds text for search, one code point to one code point: variants and traditional forms to
 * one form, full-width Latin and digits to ASCII, Latin to lower case.
 */
export function fold(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.codePointAt(0)!;
    if (code >= 0xff01 && code <= 0xff5e) {
      out += String.fromCodePoint(code - 0xfee0).toLowerCase();
    } else if (code < 0x80) {
      out += c.toLowerCase();
    } else {
      out += FOLD.get(c) ?? c;
    }
  }
  return out;
}

/** The characters that fold to the same form as `c`, `c` included (for explaining matches). */
export function foldClass(c: string): string[] {
  const target = fold(c);
  return [target, ...[...FOLD].filter(([, to]) => to === target).map(([from]) => from)].filter((x, i, all) => all.indexOf(x) === i);
}
