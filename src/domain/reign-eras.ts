import japan from './eras/japan.json' with { type: 'json' };
import korea from './eras/korea.json' with { type: 'json' };
import vietnam from './eras/vietnam.json' with { type: 'json' };
import { fold } from './text-fold.js';

/**
 * The reign-era table (年號表): every era name of the dynasties from 漢 to 清, plus 民國, with
 * its first and last Western year, so that an edition statement such as 明嘉靖三十年 resolves
 * to 1551. Compiled for this project from the standard chronologies (《中國歷史紀年表》 and the
 * 二十四史 annals); where an era began mid-year its first Western year is the year it was
 * proclaimed. Era years that overlap a change of era count from the era's own 元年.
 *
 * Each line is `regime|dynasty: era from[ to], …`. `dynasty` is how catalogues name the dynasty
 * in a date (明, 清, 宋 …); `regime` is the finer state (北宋, 南宋, 東晉 …), used in facets.
 */
const TABLE = `
西漢|漢: 建元 -140 -135, 元光 -134 -129, 元朔 -128 -123, 元狩 -122 -117, 元鼎 -116 -111, 元封 -110 -105, 太初 -104 -101, 天漢 -100 -97, 太始 -96 -93, 征和 -92 -89, 後元 -88 -87, 始元 -86 -80, 元鳳 -80 -75, 元平 -74, 本始 -73 -70, 地節 -69 -66, 元康 -65 -61, 神爵 -61 -58, 五鳳 -57 -54, 甘露 -53 -50, 黃龍 -49, 初元 -48 -44, 永光 -43 -39, 建昭 -38 -34, 竟寧 -33, 建始 -32 -28, 河平 -28 -25, 陽朔 -24 -21, 鴻嘉 -20 -17, 永始 -16 -13, 元延 -12 -9, 綏和 -8 -7, 建平 -6 -3, 元壽 -2 -1, 元始 1 5, 居攝 6 8, 初始 8
新|新: 始建國 9 13, 天鳳 14 19, 地皇 20 23
玄漢|漢: 更始 23 25
東漢|漢: 建武 25 56, 建武中元 56 57, 永平 58 75, 建初 76 84, 元和 84 87, 章和 87 88, 永元 89 105, 元興 105, 延平 106, 永初 107 113, 元初 114 120, 永寧 120 121, 建光 121 122, 延光 122 125, 永建 126 132, 陽嘉 132 135, 永和 136 141, 漢安 142 144, 建康 144, 永憙 145, 本初 146, 建和 147 149, 和平 150, 元嘉 151 153, 永興 153 154, 永壽 155 158, 延熹 158 167, 永康 167, 建寧 168 172, 熹平 172 178, 光和 178 184, 中平 184 189, 光熹 189, 昭寧 189, 永漢 189, 初平 190 193, 興平 194 195, 建安 196 220, 延康 220
魏|魏: 黃初 220 226, 太和 227 233, 青龍 233 237, 景初 237 239, 正始 240 249, 嘉平 249 254, 正元 254 256, 甘露 256 260, 景元 260 264, 咸熙 264 265
蜀|蜀: 章武 221 223, 建興 223 237, 延熙 238 257, 景耀 258 263, 炎興 263
吳|吳: 黃武 222 229, 黃龍 229 231, 嘉禾 232 238, 赤烏 238 251, 太元 251 252, 神鳳 252, 建興 252 253, 五鳳 254 256, 太平 256 258, 永安 258 264, 元興 264 265, 甘露 265 266, 寶鼎 266 269, 建衡 269 271, 鳳凰 272 274, 天冊 275 276, 天璽 276, 天紀 277 280
西晉|晉: 泰始 265 274, 咸寧 275 280, 太康 280 289, 太熙 290, 永熙 290, 永平 291, 元康 291 299, 永康 300 301, 永寧 301 302, 太安 302 303, 永安 304, 建武 304, 永興 304 306, 光熙 306, 永嘉 307 313, 建興 313 317
東晉|晉: 建武 317 318, 大興 318 321, 永昌 322 323, 太寧 323 326, 咸和 326 334, 咸康 335 342, 建元 343 344, 永和 345 356, 昇平 357 361, 隆和 362 363, 興寧 363 365, 太和 366 371, 咸安 371 372, 寧康 373 375, 太元 376 396, 隆安 397 401, 元興 402 404, 義熙 405 418, 元熙 419 420
前趙|前趙: 元熙 304 308, 永鳳 308, 河瑞 309 310, 光興 310 311, 嘉平 311 315, 建元 315 316, 麟嘉 316 318, 漢昌 318, 光初 318 329
成漢|成漢: 建興 304 306, 晏平 306 310, 玉衡 311 334, 玉恆 335 338, 漢興 338 343, 太和 344 346, 嘉寧 346 347
後趙|後趙: 太和 328 330, 建平 330 333, 延熙 334, 建武 335 348, 太寧 349, 青龍 350, 永寧 350 351
前燕|前燕: 元璽 352 357, 光壽 357 360, 建熙 360 370
前秦|前秦: 皇始 351 355, 壽光 355 357, 永興 357 359, 甘露 359 364, 建元 365 385, 太安 385 386, 太初 386 394, 延初 394
後秦|後秦: 白雀 384 386, 建初 386 394, 皇初 394 399, 弘始 399 416, 永和 416 417
後燕|後燕: 燕元 384 386, 建興 386 396, 永康 396 398, 建平 398, 長樂 399 401, 光始 401 406, 建始 407
西秦|西秦: 建義 385 388, 太初 388 400, 更始 409 412, 永康 412 419, 建弘 420 428, 永弘 428 431
後涼|後涼: 太安 386 389, 麟嘉 389 396, 龍飛 396 399, 咸寧 399 401, 神鼎 401 403
南涼|南涼: 太初 397 399, 建和 400 402, 弘昌 402 404, 嘉平 408 414
北涼|北涼: 神璽 397 399, 天璽 399 401, 永安 401 412, 玄始 412 428, 承玄 428 431, 義和 431 433, 承和 433 439
南燕|南燕: 建平 400 405, 太上 405 410
西涼|西涼: 庚子 400 404, 建初 405 417, 嘉興 417 420, 永建 420 421
夏|夏: 龍昇 407 413, 鳳翔 413 418, 昌武 418 419, 真興 419 425, 承光 425 428, 勝光 428 431
北燕|北燕: 正始 407 409, 太平 409 430, 太興 431 436
南朝宋|南朝宋: 永初 420 422, 景平 423 424, 元嘉 424 453, 孝建 454 456, 大明 457 464, 永光 465, 景和 465, 泰始 465 471, 泰豫 472, 元徽 473 477, 昇明 477 479
南齊|南齊: 建元 479 482, 永明 483 493, 隆昌 494, 延興 494, 建武 494 498, 永泰 498, 永元 499 501, 中興 501 502
梁|梁: 天監 502 519, 普通 520 527, 大通 527 529, 中大通 529 534, 大同 535 546, 中大同 546 547, 太清 547 549, 大寶 550 551, 天正 551 552, 承聖 552 555, 天成 555, 紹泰 555 556, 太平 556 557
陳|陳: 永定 557 559, 天嘉 560 566, 天康 566, 光大 567 568, 太建 569 582, 至德 583 586, 禎明 587 589
北魏|北魏: 登國 386 396, 皇始 396 398, 天興 398 404, 天賜 404 409, 永興 409 413, 神瑞 414 416, 泰常 416 423, 始光 424 428, 神䴥 428 431, 延和 432 434, 太延 435 440, 太平真君 440 451, 正平 451 452, 承平 452, 興安 452 454, 興光 454 455, 太安 455 459, 和平 460 465, 天安 466 467, 皇興 467 471, 延興 471 476, 承明 476, 太和 477 499, 景明 500 504, 正始 504 508, 永平 508 512, 延昌 512 515, 熙平 516 518, 神龜 518 520, 正光 520 525, 孝昌 525 527, 武泰 528, 建義 528, 永安 528 530, 建明 530 531, 普泰 531 532, 中興 531 532, 太昌 532, 永興 532, 永熙 532 534
東魏|東魏: 天平 534 537, 元象 538 539, 興和 539 542, 武定 543 550
西魏|西魏: 大統 535 551
北齊|北齊: 天保 550 559, 乾明 560, 皇建 560 561, 太寧 561 562, 河清 562 565, 天統 565 569, 武平 570 576, 隆化 576, 承光 577
北周|北周: 武成 559 560, 保定 561 565, 天和 566 572, 建德 572 578, 宣政 578, 大成 579, 大象 579 580, 大定 581
隋|隋: 開皇 581 600, 仁壽 601 604, 大業 605 618, 義寧 617 618, 皇泰 618 619
唐|唐: 武德 618 626, 貞觀 627 649, 永徽 650 655, 顯慶 656 661, 龍朔 661 663, 麟德 664 665, 乾封 666 668, 總章 668 670, 咸亨 670 674, 上元 674 676, 儀鳳 676 679, 調露 679 680, 永隆 680 681, 開耀 681 682, 永淳 682 683, 弘道 683, 嗣聖 684, 文明 684, 光宅 684, 垂拱 685 688, 永昌 689, 載初 689 690
武周|唐: 天授 690 692, 如意 692, 長壽 692 694, 延載 694, 證聖 695, 天冊萬歲 695 696, 萬歲登封 696, 萬歲通天 696 697, 神功 697, 聖曆 698 700, 久視 700 701, 大足 701, 長安 701 704
唐|唐: 神龍 705 707, 景龍 707 710, 唐隆 710, 景雲 710 711, 太極 712, 延和 712, 先天 712 713, 開元 713 741, 天寶 742 756, 至德 756 758, 乾元 758 760, 上元 760 761, 寶應 762 763, 廣德 763 764, 永泰 765 766, 大曆 766 779, 建中 780 783, 興元 784, 貞元 785 805, 永貞 805, 元和 806 820, 長慶 821 824, 寶曆 825 827, 大和 827 835, 開成 836 840, 會昌 841 846, 大中 847 860, 咸通 860 874, 乾符 874 879, 廣明 880 881, 中和 881 885, 光啟 885 888, 文德 888, 龍紀 889, 大順 890 891, 景福 892 893, 乾寧 894 898, 光化 898 901, 天復 901 904, 天祐 904 907
後梁|後梁: 開平 907 911, 乾化 911 915, 貞明 915 921, 龍德 921 923
後唐|後唐: 同光 923 926, 天成 926 930, 長興 930 933, 應順 934, 清泰 934 936
後晉|後晉: 天福 936 944, 開運 944 947
後漢|後漢: 天福 947, 乾祐 948 950
後周|後周: 廣順 951 953, 顯德 954 960
吳|吳: 武義 919 921, 順義 921 927, 乾貞 927 929, 大和 929 935, 天祚 935 937
南唐|南唐: 昇元 937 943, 保大 943 957, 中興 958, 交泰 958
前蜀|前蜀: 武成 908 910, 永平 911 915, 通正 916, 天漢 917, 光天 918, 乾德 919 924, 咸康 925
後蜀|後蜀: 明德 934 937, 廣政 938 965
南漢|南漢: 乾亨 917 925, 白龍 925 928, 大有 928 942, 光天 942 943, 應乾 943, 乾和 943 958, 大寶 958 971
閩|閩: 龍啟 933 934, 永和 935 936, 通文 936 939, 永隆 939 943, 天德 943 945
吳越|吳越: 天寶 908 923, 寶大 924 925, 寶正 926 931
北漢|北漢: 天會 957 973, 廣運 974 979
遼|遼: 神冊 916 922, 天贊 922 926, 天顯 926 938, 會同 938 947, 大同 947, 天祿 947 951, 應曆 951 969, 保寧 969 979, 乾亨 979 983, 統和 983 1012, 開泰 1012 1021, 太平 1021 1031, 景福 1031 1032, 重熙 1032 1055, 清寧 1055 1064, 咸雍 1065 1074, 大康 1075 1084, 大安 1085 1094, 壽昌 1095 1101, 乾統 1101 1110, 天慶 1111 1120, 保大 1121 1125
北宋|宋: 建隆 960 963, 乾德 963 968, 開寶 968 976, 太平興國 976 984, 雍熙 984 987, 端拱 988 989, 淳化 990 994, 至道 995 997, 咸平 998 1003, 景德 1004 1007, 大中祥符 1008 1016, 天禧 1017 1021, 乾興 1022, 天聖 1023 1032, 明道 1032 1033, 景祐 1034 1038, 寶元 1038 1040, 康定 1040 1041, 慶曆 1041 1048, 皇祐 1049 1054, 至和 1054 1056, 嘉祐 1056 1063, 治平 1064 1067, 熙寧 1068 1077, 元豐 1078 1085, 元祐 1086 1094, 紹聖 1094 1098, 元符 1098 1100, 建中靖國 1101, 崇寧 1102 1106, 大觀 1107 1110, 政和 1111 1118, 重和 1118 1119, 宣和 1119 1125, 靖康 1126 1127
南宋|宋: 建炎 1127 1130, 紹興 1131 1162, 隆興 1163 1164, 乾道 1165 1173, 淳熙 1174 1189, 紹熙 1190 1194, 慶元 1195 1200, 嘉泰 1201 1204, 開禧 1205 1207, 嘉定 1208 1224, 寶慶 1225 1227, 紹定 1228 1233, 端平 1234 1236, 嘉熙 1237 1240, 淳祐 1241 1252, 寶祐 1253 1258, 開慶 1259, 景定 1260 1264, 咸淳 1265 1274, 德祐 1275 1276, 景炎 1276 1278, 祥興 1278 1279
西夏|西夏: 顯道 1032 1034, 開運 1034, 廣運 1034 1036, 大慶 1036 1038, 天授禮法延祚 1038 1048, 延嗣寧國 1049, 天祐垂聖 1050 1052, 福聖承道 1053 1056, 奲都 1057 1062, 拱化 1063 1067, 乾道 1068 1069, 天賜禮盛國慶 1070 1074, 大安 1075 1085, 天安禮定 1086, 天儀治平 1087 1089, 天祐民安 1090 1097, 永安 1098 1100, 貞觀 1101 1113, 雍寧 1114 1118, 元德 1119 1127, 正德 1127 1134, 大德 1135 1139, 大慶 1140 1143, 人慶 1144 1148, 天盛 1149 1169, 乾祐 1170 1193, 天慶 1194 1206, 應天 1206 1209, 皇建 1210 1211, 光定 1211 1223, 乾定 1223 1226, 寶義 1226 1227
金|金: 收國 1115 1116, 天輔 1117 1123, 天會 1123 1137, 天眷 1138 1140, 皇統 1141 1149, 天德 1149 1153, 貞元 1153 1156, 正隆 1156 1161, 大定 1161 1189, 明昌 1190 1196, 承安 1196 1200, 泰和 1201 1208, 大安 1209 1211, 崇慶 1212 1213, 至寧 1213, 貞祐 1213 1217, 興定 1217 1222, 元光 1222 1223, 正大 1224 1232, 開興 1232, 天興 1232 1234
元|元: 中統 1260 1264, 至元 1264 1294, 元貞 1295 1297, 大德 1297 1307, 至大 1308 1311, 皇慶 1312 1313, 延祐 1314 1320, 至治 1321 1323, 泰定 1324 1328, 致和 1328, 天順 1328, 天曆 1328 1330, 至順 1330 1333, 元統 1333 1335, 後至元 1335 1340, 至正 1341 1370
明|明: 洪武 1368 1398, 建文 1399 1402, 永樂 1403 1424, 洪熙 1425, 宣德 1426 1435, 正統 1436 1449, 景泰 1450 1457, 天順 1457 1464, 成化 1465 1487, 弘治 1488 1505, 正德 1506 1521, 嘉靖 1522 1566, 隆慶 1567 1572, 萬曆 1573 1620, 泰昌 1620, 天啟 1621 1627, 崇禎 1628 1644
南明|明: 弘光 1645, 隆武 1645 1646, 紹武 1646 1647, 永曆 1647 1662
後金|清: 天命 1616 1626, 天聰 1627 1636, 崇德 1636 1643
清|清: 順治 1644 1661, 康熙 1662 1722, 雍正 1723 1735, 乾隆 1736 1795, 嘉慶 1796 1820, 道光 1821 1850, 咸豐 1851 1861, 同治 1862 1874, 光緒 1875 1908, 宣統 1909 1911
太平天國|太平天國: 太平天國 1851 1864
民國|民國: 民國 1912 1949
`;

export interface ReignEra {
  name: string;
  dynasty: string;
  regime: string;
  from: number;
  to: number;
  /** The country whose calendar the era belongs to: 中國, 日本, 朝鮮 or 越南. */
  country: string;
}

export const REIGN_ERAS: readonly ReignEra[] = TABLE.trim()
  .split('\n')
  .flatMap((line) => {
    const [head, body] = line.split(': ') as [string, string];
    const [regime, dynasty] = head.split('|') as [string, string];
    return body.split(', ').map((entry) => {
      const [name, from, to] = entry.split(' ') as [string, string, string | undefined];
      return { name, dynasty, regime, from: Number(from), to: Number(to ?? from), country: '中國' };
    });
  });

/**
 * Dynasties as catalogues write them before a date or a person (（明）, 清乾隆…), with the
 * span used when only the dynasty is known. Aliases map to the name kept in derived fields.
 */
const DYNASTY_TABLE = `
周 -1046 -256, 東周 -770 -256, 春秋 -770 -476, 戰國 -475 -221, 秦 -221 -207,
漢 -206 220, 西漢 -206 8, 前漢=西漢, 新 9 23, 東漢 25 220,
三國 220 280, 魏 220 265, 三國魏=魏, 曹魏=魏, 蜀 221 263, 蜀漢=蜀, 吳 222 280, 三國吳=吳,
晉 265 420, 西晉 265 316, 東晉 317 420,
前趙 304 329, 成漢 304 347, 後趙 319 351, 前燕 337 370, 前秦 351 394, 後秦 384 417, 後燕 384 407, 西秦 385 431,
後涼 386 403, 南涼 397 414, 北涼 397 439, 南燕 398 410, 西涼 400 421, 夏 407 431, 北燕 407 436, 十六國 304 439,
南北朝 420 589, 南朝宋 420 479, 劉宋=南朝宋, 南齊 479 502, 齊=南齊, 南朝齊=南齊, 梁 502 557, 南朝梁=梁, 陳 557 589, 南朝陳=陳,
北魏 386 534, 後魏=北魏, 元魏=北魏, 東魏 534 550, 西魏 535 557, 北齊 550 577, 北周 557 581,
隋 581 618, 唐 618 907, 武周 690 705,
五代 907 960, 後梁 907 923, 後唐 923 936, 後晉 936 947, 後漢 947 950, 後周 951 960,
十國 902 979, 南唐 937 975, 前蜀 907 925, 後蜀 934 965, 南漢 917 971, 閩 909 945, 吳越 907 978, 北漢 951 979,
遼 907 1125, 宋 960 1279, 北宋 960 1127, 南宋 1127 1279, 西夏 1038 1227, 金 1115 1234,
元 1271 1368, 蒙古 1206 1271, 明 1368 1644, 南明 1644 1662, 後金 1616 1636, 清 1644 1911, 淸=清, 大清=清, 皇明=明, 大明=明, 太平天國 1851 1864,
民國 1912 1949, 中華民國=民國
`;

export interface Dynasty {
  name: string;
  from: number;
  to: number;
}

const DYNASTIES = new Map<string, Dynasty>();
const DYNASTY_ALIASES = new Map<string, string>();
for (const entry of DYNASTY_TABLE.replace(/\s*\n\s*/g, ' ').trim().split(/,\s*/)) {
  if (!entry) continue;
  if (entry.includes('=')) {
    const [alias, name] = entry.split('=') as [string, string];
    DYNASTY_ALIASES.set(alias, name);
  } else {
    const [name, from, to] = entry.split(' ') as [string, string, string];
    DYNASTIES.set(name, { name, from: Number(from), to: Number(to) });
  }
}

/** The dynasty a written name means (aliases folded), or undefined. */
export function lookupDynasty(written: string): Dynasty | undefined {
  return DYNASTIES.get(DYNASTY_ALIASES.get(written) ?? written);
}

/** Every dynasty name and alias, longest first, for building patterns. */
export const DYNASTY_NAMES: readonly string[] = [...DYNASTIES.keys(), ...DYNASTY_ALIASES.keys()].sort(
  (a, b) => b.length - a.length,
);

const ERAS_BY_NAME = new Map<string, ReignEra[]>();
for (const era of REIGN_ERAS) {
  const list = ERAS_BY_NAME.get(era.name) ?? [];
  list.push(era);
  ERAS_BY_NAME.set(era.name, list);
}

/** Era names, longest first, for building patterns (太平興國 before 太平). */
export const ERA_NAMES: readonly string[] = [...ERAS_BY_NAME.keys()].sort((a, b) => b.length - a.length);

/**
 * When an era name was used by several states (建武, 天福, 大安 …) and the statement names no
 * dynasty, the one a book is most likely dated by wins: printing flourished from 宋 on.
 */
const PREFERENCE = ['清', '明', '元', '宋', '金', '遼', '西夏', '唐', '隋'];
const rank = (dynasty: string) => {
  const i = PREFERENCE.indexOf(dynasty);
  return i === -1 ? PREFERENCE.length : i;
};

/**
 * The era a statement means. With a dynasty, eras of that dynasty (or its regimes) only; with a
 * Western year, the era that contains it; otherwise the preferred dynasty's.
 */
export function resolveEra(name: string, dynasty?: string, westernYear?: number): ReignEra | undefined {
  let candidates = ERAS_BY_NAME.get(name) ?? [];
  if (dynasty) {
    const canonical = DYNASTY_ALIASES.get(dynasty) ?? dynasty;
    const narrowed = candidates.filter((e) => e.dynasty === canonical || e.regime === canonical);
    if (narrowed.length > 0) candidates = narrowed;
  }
  if (westernYear !== undefined) {
    const containing = candidates.filter((e) => westernYear >= e.from && westernYear <= e.to);
    if (containing.length > 0) candidates = containing;
  }
  // Among the rest, the longer-lived era dated more books.
  return [...candidates].sort((a, b) => rank(a.dynasty) - rank(b.dynasty) || b.to - b.from - (a.to - a.from))[0];
}

/** The dynasty whose span contains a Western year, for statements that give only the year. */
export function dynastyOfYear(year: number): string | undefined {
  const order = ['清', '明', '元', '宋', '金', '遼', '五代', '唐', '隋', '南北朝', '晉', '三國', '漢', '民國'];
  if (year >= 1912) return '民國';
  return order.find((name) => {
    const d = DYNASTIES.get(name)!;
    return year >= d.from && year <= d.to;
  });
}

/**
 * Japanese, Korean and Vietnamese books are common in Chinese collections and are dated by their
 * own calendars: `日本元祿九年（1696）`, `朝鮮正祖五年（1781）`, `越南明命`. Their tables are data
 * (src/domain/eras/*.json, each naming its sources). A foreign era is looked up only after the
 * country is named, because many era names were used in China as well (天平, 正德, 嘉慶 …).
 */
interface ForeignTable {
  country: string;
  dynasties: string[];
  eras: string[];
}

export interface ForeignCalendar {
  country: string;
  /** Dynasties and periods, with aliases folded (高麗, 朝鮮, 江戶, 阮 …). */
  dynasties: ReadonlyMap<string, Dynasty>;
  dynastyNames: readonly string[];
  /** Each era or king by name: the first listed of a name (朝鮮's 太祖 before 高麗's). */
  eras: ReadonlyMap<string, ReignEra>;
  /** Every era or king of a name, in table order: 高宗 is a king of 朝鮮 and of 高麗. */
  erasNamed: ReadonlyMap<string, readonly ReignEra[]>;
  eraNames: readonly string[];
}

function foreignCalendar(table: ForeignTable): ForeignCalendar {
  const spans = new Map<string, Dynasty>();
  const aliases: [string, string][] = [];
  for (const entry of table.dynasties) {
    if (entry.includes('=')) aliases.push(entry.split('=') as [string, string]);
    else {
      const [name, from, to] = entry.split(' ') as [string, string, string];
      spans.set(name, { name, from: Number(from), to: Number(to) });
    }
  }
  for (const [alias, name] of aliases) spans.set(alias, spans.get(name)!);
  const eras = new Map<string, ReignEra>();
  const erasNamed = new Map<string, ReignEra[]>();
  for (const entry of table.eras) {
    const [names, from, to, dynasty] = entry.split(' ') as [string, string, string, string | undefined];
    const forms = names.split('/');
    const era: ReignEra = { name: forms[0]!, dynasty: dynasty ?? table.country, regime: dynasty ?? table.country, from: Number(from), to: Number(to), country: table.country };
    // 建武 was used by both Japanese courts: the first listed (the southern, legitimate in the
    // Japanese chronologies) wins.
    for (const form of forms) {
      if (!eras.has(form)) eras.set(form, era);
      erasNamed.set(form, [...(erasNamed.get(form) ?? []), era]);
    }
  }
  const longestFirst = (names: Iterable<string>) => [...names].sort((a, b) => b.length - a.length);
  return { country: table.country, dynasties: spans, dynastyNames: longestFirst(spans.keys()), eras, erasNamed, eraNames: longestFirst(eras.keys()) };
}

export const FOREIGN_CALENDARS: readonly ForeignCalendar[] = [japan, korea, vietnam].map((t) => foreignCalendar(t as ForeignTable));

/**
 * How statements name a foreign country before its date. 朝鮮 and 高麗 are also dynasties of
 * Korea; 日本 and 越南 only name the country.
 */
const COUNTRY_FORMS: readonly [string, string][] = [
  ['日本', '日本'], ['朝鮮', '朝鮮'], ['朝鲜', '朝鮮'], ['高麗', '朝鮮'], ['高丽', '朝鮮'], ['李朝', '朝鮮'],
  ['越南', '越南'], ['安南', '越南'], ['大南', '越南'],
];

/** The foreign calendar a statement starts with (`日本…`, `朝鮮…`), and how many characters name it. */
export function foreignCalendarAt(text: string, at = 0): { calendar: ForeignCalendar; written: string } | undefined {
  // The text may come folded for search (朝鲜 for 朝鮮): compare folded forms.
  const form = COUNTRY_FORMS.find(([written]) => text.startsWith(written, at) || text.startsWith(fold(written), at));
  if (!form) return undefined;
  return { calendar: FOREIGN_CALENDARS.find((c) => c.country === form[1])!, written: form[0] };
}
