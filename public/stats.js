// @ts-check
// The district overview: totals, breakdowns drawn as bar charts, census progress by unit and the
// conservation worklist (most damaged first). Staff also see the workflow status. Each bar is a
// link to the search for what it counts.
import { api, centuryLabel, el, number, showError, STATUS_LABELS, t } from './ui.js';

/** A bar chart of one facet's counts; `facet` is the search parameter that finds each bar's books. */
function chart(title, counts, facet, label = (v) => v) {
  const max = Math.max(1, ...counts.map((c) => c.count));
  const section = el('section', { id: `chart-${facet}` }, el('h2', { textContent: t(title) }));
  if (counts.length === 0) section.append(el('p', { className: 'muted', textContent: t('暂无') }));
  for (const c of counts) {
    const bar = el('div', { className: 'bar', role: 'presentation' });
    bar.style.width = `${(100 * c.count) / max}%`;
    const href = `/?${new URLSearchParams({ [facet]: c.value })}`;
    section.append(el('a', { className: 'row', href }, el('span', { textContent: label(c.value) }), bar, el('span', { className: 'num', textContent: number(c.count) })));
  }
  return section;
}
const status = (v) => t(STATUS_LABELS[v] ?? v);

/** Counts in the order of a graded scale (the vocabulary's: 一级甲等 … 普通古籍, 特残 … 基本完好), not by size. */
const byScale = (counts, scale) => {
  const place = (v) => {
    const i = scale.findIndex((entry) => (typeof entry === 'string' ? entry : entry.term) === v);
    return i < 0 ? scale.length : i;
  };
  return [...counts].sort((a, b) => place(a.value) - place(b.value));
};

try {
  const [{ data: s }, { data: vocabularies }] = await Promise.all([api('/api/stats'), api('/api/vocabularies')]);
  const totals = document.getElementById('totals');
  totals.textContent = '';
  for (const [n, label] of [[s.records, '已登记'], [s.digitized.records, '已数字化'], [s.digitized.pages, '影像半叶数'], [s.byUnit.length, '收藏单位']]) {
    totals.append(el('div', { className: 'total' }, el('b', { textContent: number(n) }), el('span', { textContent: t(label) })));
  }
  const charts = document.getElementById('charts');
  charts.append(
    chart('四部分类', s.byDivision, 'division'), chart('版本类型', s.byEditionType, 'editionType'), chart('朝代', s.byDynasty, 'dynasty'),
    chart('世纪', s.byCentury, 'century', centuryLabel), chart('定级', byScale(s.byGrade, vocabularies.grades ?? []), 'grade'),
    chart('破损级别', byScale(s.byDamage, vocabularies.damageGrades ?? []), 'damageGrade'),
  );
  if (s.byStatus) {
    charts.append(chart('审校状态', s.byStatus, 'status', status));
    document.getElementById('status-head').textContent = t('审校状态');
  } else {
    // Readers see no review status: no empty column.
    document.getElementById('status-head').remove();
  }
  const units = document.querySelector('#units tbody');
  for (const u of s.byUnit) {
    const statuses = u.byStatus ? Object.entries(u.byStatus).map(([k, v]) => `${status(k)} ${v}`).join(' · ') : '';
    units.append(el('tr', {}, el('td', { textContent: u.name }), el('td', { className: 'num', textContent: number(u.records) }), el('td', { className: 'num', textContent: number(u.digitized) }),
      s.byStatus ? el('td', { textContent: statuses }) : null));
  }
  const worklist = document.querySelector('#worklist tbody');
  for (const w of s.worklist) {
    const link = el('a', { href: `/records/${w.censusNumber}`, textContent: w.censusNumber });
    worklist.append(el('tr', {}, el('td', {}, link), el('td', { textContent: w.titleStatement }), el('td', { textContent: [w.damage?.grade, ...(w.damage?.types ?? [])].filter(Boolean).join(' ') })));
  }
  if (s.worklist.length === 0) worklist.append(el('tr', {}, el('td', { colSpan: 3, className: 'muted', textContent: t('暂无严重破损') })));
} catch (e) {
  showError(document.getElementById('totals'), e);
  document.getElementById('totals').prepend(t('概况无法载入：'));
}
