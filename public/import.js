// Spreadsheet import: a dry run first by default, showing what would be created, updated, left
// unchanged and rejected — each rejected row with its row number as Excel shows it, the column
// and the problem — then the real import of the same file.
import { api, download, el, number, problemText, signedIn, t } from './ui.js';

await signedIn();
const form = document.getElementById('import');
const result = document.getElementById('result');

async function run(file, dryRun) {
  const data = new FormData();
  data.append('file', file, file.name);
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  const progress = el('progress', { max: 1, value: 0, id: 'import-progress' });
  const status = el('p', { className: 'muted', textContent: `${t('处理中')}…` });
  result.replaceChildren(status, progress);
  try {
    // A job, so that a sheet of 100,000 rows shows its progress.
    let { data: job } = await api(`/api/imports?dryRun=${dryRun}`, { method: 'POST', form: data, prefer: 'respond-async' });
    while (job.status === 'running') {
      await new Promise((r) => setTimeout(r, 400));
      job = (await api(`/api/imports/${job.id}`)).data;
      progress.value = job.read;
      status.textContent = `${t('处理中')}… ${t('第 {n} 行', { n: number(job.rows) })}`;
    }
    if (job.status === 'failed') throw Object.assign(new Error(job.error.message), { details: job.error.details });
    draw(job.report, file);
  } catch (e) {
    result.replaceChildren(el('p', { className: 'notice error', role: 'alert', textContent: e.message }),
      e.details.length ? el('ul', {}, ...e.details.map((d) => el('li', { textContent: `${d.field}：${problemText(d.problem)}` }))) : '');
  } finally {
    button.disabled = false;
  }
}

function draw(report, file) {
  const count = (label, n) => el('div', { className: 'count' }, el('b', { textContent: number(n) }), t(label));
  const rejectedRows = [...new Set(report.problems.map((p) => p.row))];
  result.replaceChildren(
    el('h2', { textContent: `${t(report.dryRun ? '预检结果' : '导入结果')}：${file.name}` }),
    el('div', { className: 'counts' }, count('新建', report.created), count('更新', report.updated), count('未变', report.unchanged), count('拒收', report.rejected)),
    report.ignoredColumns.length ? el('p', { className: 'muted', textContent: `⚠ ${report.ignoredColumns.join('、')}` }) : '',
    rejectedRows.length === 0
      ? el('p', { className: 'notice', textContent: t('所有行都可导入。') })
      : el('div', {},
        el('p', { textContent: t('下列行未导入；改正后可再次导入同一表格。') }),
        el('div', { className: 'scroll' }, el('table', { className: 'list', id: 'problems' },
          el('thead', {}, el('tr', {}, el('th', { className: 'num', textContent: t('行') }), el('th', { textContent: t('列') }), el('th', { textContent: t('问题') }))),
          el('tbody', {}, ...report.problems.map((p) => el('tr', {},
            el('td', { className: 'num', textContent: String(p.row) }), el('td', { textContent: p.column ?? '—' }), el('td', { textContent: problemText(p.problem) }))))))),
  );
  if (report.dryRun && report.created + report.updated > 0) {
    const go = el('button', { type: 'button', id: 'commit', textContent: t('正式导入') });
    go.addEventListener('click', () => run(file, false));
    result.append(el('p', {}, go));
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const file = form.file.files[0];
  if (file) run(file, form.dryRun.checked);
});

// Exports carry the session's token (staff export drafts too), so they are fetched, not followed.
for (const link of document.querySelectorAll('a[href^="/api/exports/"]')) {
  link.addEventListener('click', async (event) => {
    event.preventDefault();
    await download(link.href, link.href.split('/').pop());
  });
}
