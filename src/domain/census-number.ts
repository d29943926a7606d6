/**
 * 普查编号, the census number: `PPPPPP-UUUU-NNNNNNN` — the GB/T 2260 code of the province-level
 * unit, the collecting unit's 4-digit code, and a 7-digit serial within the unit
 * (e.g. `110000-0101-0010283`, 國家圖書館).
 */
export const CENSUS_NUMBER_PATTERN = /^(\d{6})-(\d{4})-(\d{7})$/;

/** Province-level divisions of GB/T 2260 (the two leading digits; the rest are zeros). */
export const PROVINCES: Readonly<Record<string, string>> = {
  '110000': '北京市', '120000': '天津市', '130000': '河北省', '140000': '山西省', '150000': '内蒙古自治区',
  '210000': '辽宁省', '220000': '吉林省', '230000': '黑龙江省',
  '310000': '上海市', '320000': '江苏省', '330000': '浙江省', '340000': '安徽省', '350000': '福建省',
  '360000': '江西省', '370000': '山东省',
  '410000': '河南省', '420000': '湖北省', '430000': '湖南省', '440000': '广东省', '450000': '广西壮族自治区',
  '460000': '海南省',
  '500000': '重庆市', '510000': '四川省', '520000': '贵州省', '530000': '云南省', '540000': '西藏自治区',
  '610000': '陕西省', '620000': '甘肃省', '630000': '青海省', '640000': '宁夏回族自治区', '650000': '新疆维吾尔自治区',
  '710000': '台湾省', '810000': '香港特别行政区', '820000': '澳门特别行政区',
};

export interface CensusNumberParts {
  province: string;
  unit: string;
  serial: string;
  /** `PPPPPP-UUUU`: the collecting unit's key, the first two parts of every census number it issues. */
  unitKey: string;
}

/** Returns the problem with a census number, or null when it is well formed. */
export function censusNumberProblem(value: string): string | null {
  const m = CENSUS_NUMBER_PATTERN.exec(value);
  if (!m) return 'must have the form PPPPPP-UUUU-NNNNNNN (6, 4 and 7 digits), e.g. 430000-0001-0000017';
  const province = m[1]!;
  if (!province.endsWith('0000')) return `the province part ${province} must be a province-level code ending in 0000`;
  if (!PROVINCES[province]) return `the province part ${province} is not a GB/T 2260 province-level code`;
  if (m[2] === '0000') return 'the unit part 0000 is not a collecting unit';
  if (m[3] === '0000000') return 'the serial part must not be 0000000';
  return null;
}

export function parseCensusNumber(value: string): CensusNumberParts | null {
  if (censusNumberProblem(value) !== null) return null;
  const [province, unit, serial] = value.split('-') as [string, string, string];
  return { province, unit, serial, unitKey: `${province}-${unit}` };
}

export const UNIT_KEY_PATTERN = /^(\d{2}0000)-(\d{4})$/;
