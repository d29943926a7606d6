// @ts-check
// Spreadsheet import: a dry run first by default, showing what would be created, updated, left
// unchanged and rejected — each rejected row with its row number as Excel shows it, the column
// and the problem — then the real import of the same file.
import { api, ApiError, COLON, download, el, lang, number, problemText, showError, signedIn, t } from './ui.js';
import { codeMessage } from './messages.js';

await signedIn();
const form = /** @type {HTMLFormElement} */ (document.getElementById('import'));
const result = document.getElementById('result');
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Follows an import job to its end. The wait between looks grows (0.4 s doubling to 5 s), and
 * a lost connection is tried again the same way, saying so, before it is given up on: the page
 * never stays at 处理中… without saying why.
 */
async function follow(job, status, progress) {
  let wait = 400;
  let lost = 0;
  while (job.status === 'running') {
    await pause(wait);
    wait = Math.min(wait * 2, 5000);
    try {
      job = (await api(`/api/imports/${job.id}`)).data;
      lost = 0;
    } catch (e) {
      if (e.code !== 'network_down' && !(e.status >= 500)) throw e;
      lost += 1;
      if (lost > 5) throw Object.assign(new ApiError(0, null), { lostDuringImport: true });
      status.textContent = t('连接中断，正在重试（第 {n} 次）…', { n: lost });
      continue;
    }
    progress.value = job.read;
    status.textContent = `${t('处理中')}… ${t('第 {n} 行', { n: number(job.rows) })}`;
  }
  return job;
}

async function run(file, dryRun) {
  const data = new FormData();
  data.append('file', file, file.name);
  const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
  button.disabled = true;
  const progress = el('progress', { max: 1, value: 0, id: 'import-progress' });
  const status = el('p', { className: 'muted', role: 'status', textContent: `${t('处理中')}…` });
  result.replaceChildren(status, progress);
  try {
    // A job, so that a sheet of 100,000 rows shows its progress.
    const { data: started } = await api(`/api/imports?dryRun=${dryRun}`, { method: 'POST', form: data, prefer: 'respond-async' });
    const job = await follow(started, status, progress);
    if (job.status === 'failed') throw new ApiError(500, job.error);
    draw(job.report, file);
  } catch (e) {
    const box = el('div', { id: 'import-error' });
    result.replaceChildren(box);
    showError(box, e);
    if (e.lostDuringImport) box.prepend(el('p', { textContent: t('与服务器的连接中断，无法得知导入结果。导入可能仍在进行：稍后可在此重新导入同一表格，已导入的行会显示为“未变”。') }));
    else if (e.code !== 'network_down') box.prepend(el('strong', { textContent: `${t('导入失败')}${COLON}` }));
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
          el('thead', {}, el('tr', {}, el('th', { className: 'num', textContent: t('行') }), el('th', { textContent: t('列') }), el('th', { textContent: t('值') }), el('th', { textContent: t('问题') }))),
          el('tbody', {}, ...report.problems.map((p) => el('tr', {},
            el('td', { className: 'num', textContent: String(p.row) }), el('td', { textContent: p.column ?? '—' }),
            el('td', { className: 'value', textContent: p.value ?? '' }),
            el('td', { textContent: p.code ? codeMessage(p.code, 400, lang) : problemText(p.problem) }))))))),
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
for (const link of /** @type {NodeListOf<HTMLAnchorElement>} */ (document.querySelectorAll('a[href^="/api/exports/"]'))) {
  link.addEventListener('click', async (event) => {
    event.preventDefault();
    await download(link.href, link.href.split('/').pop()).catch((e) => showError(result, e));
  });
}
