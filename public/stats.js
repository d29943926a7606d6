// The district overview: totals, breakdowns drawn as bar charts, census progress by unit and the
// conservation worklist (most damaged first). Staff also see the workflow status.
import { api, centuryLabel, el, number, STATUS_LABELS, t } from './ui.js';

function chart(title, counts, label = (v) => v) {
  const max = Math.max(1, ...counts.map((c) => c.count));
  const section = el('section', {}, el('h2', { textContent: t(title) }));
  if (counts.length === 0) section.append(el('p', { className: 'muted', textContent: t('暂无') }));
  for (const c of counts) {
    const bar = el('div', { className: 'bar', role: 'presentation' });
    bar.style.width = `${(100 * c.count) / max}%`;
    section.append(el('div', { className: 'row' }, el('span', { textContent: label(c.value) }), bar, el('span', { className: 'num', textContent: number(c.count) })));
  }
  return section;
}
const status = (v) => t(STATUS_LABELS[v] ?? v);

try {
  const { data: s } = await api('/api/stats');
  const totals = document.getElementById('totals');
  totals.textContent = '';
  for (const [n, label] of [[s.records, '已登记'], [s.digitized.records, '已数字化'], [s.digitized.pages, '影像页数'], [s.byUnit.length, '收藏单位']]) {
    totals.append(el('div', { className: 'total' }, el('b', { textContent: number(n) }), el('span', { textContent: t(label) })));
  }
  const charts = document.getElementById('charts');
  charts.append(
    chart('四部分类', s.byDivision), chart('版本类型', s.byEditionType), chart('朝代', s.byDynasty),
    chart('世纪', s.byCentury, centuryLabel), chart('定级', s.byGrade), chart('破损级别', s.byDamage),
  );
  if (s.byStatus) {
    charts.append(chart('审校状态', s.byStatus, status));
    document.getElementById('status-head').textContent = t('审校状态');
  }
  const units = document.querySelector('#units tbody');
  for (const u of s.byUnit) {
    const statuses = u.byStatus ? Object.entries(u.byStatus).map(([k, v]) => `${status(k)} ${v}`).join(' · ') : '';
    units.append(el('tr', {}, el('td', { textContent: u.name }), el('td', { className: 'num', textContent: number(u.records) }), el('td', { className: 'num', textContent: number(u.digitized) }), el('td', { textContent: statuses })));
  }
  const worklist = document.querySelector('#worklist tbody');
  for (const w of s.worklist) {
    const link = el('a', { href: `/records/${w.censusNumber}`, textContent: w.censusNumber });
    worklist.append(el('tr', {}, el('td', {}, link), el('td', { textContent: w.titleStatement }), el('td', { textContent: [w.damage?.grade, ...(w.damage?.types ?? [])].filter(Boolean).join(' ') })));
  }
  if (s.worklist.length === 0) worklist.append(el('tr', {}, el('td', { colSpan: 3, className: 'muted', textContent: t('暂无严重破损') })));
} catch (e) {
  document.getElementById('totals').textContent = t('概况无法载入（{message}）', { message: e.message });
}
