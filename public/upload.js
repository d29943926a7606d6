// @ts-check
// Scan upload: one request per file, so each file shows its own progress bar and outcome
// (ingested, already on the record, or refused with the reason from the ingest job). Files go
// in natural name order (2 before 10), the order the pages take.
import { api, ApiError, COLON, download, el, problemText, showError, signedIn, session, t, waitingFor } from './ui.js';

await signedIn();
const form = /** @type {HTMLFormElement} */ (document.getElementById('upload'));
const message = document.getElementById('message');
form.record.value = new URLSearchParams(location.search).get('record') ?? '';
const OUTCOMES = { ingested: '已入库', skipped: '已有', refused: '拒收', failed: '失败' };
const natural = new Intl.Collator('zh', { numeric: true });

/** POSTs one file with upload progress (fetch cannot report it); resolves with the job. */
function send(censusNumber, file, progress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/records/${encodeURIComponent(censusNumber)}/scans`);
    xhr.setRequestHeader('authorization', `Bearer ${session.token}`);
    xhr.responseType = 'json';
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) progress.value = e.loaded / e.total;
    });
    xhr.addEventListener('load', () => (xhr.status === 202 ? resolve(xhr.response.job) : reject(new ApiError(xhr.status, xhr.response?.error))));
    xhr.addEventListener('error', () => reject(new ApiError(0, null)));
    const data = new FormData();
    data.append('files', file, file.name);
    xhr.send(data);
  });
}

/** The job's outcome for its file; the wait between looks grows from 0.3 s to 5 s. */
async function finished(job) {
  for (let wait = 300; ; wait = Math.min(wait * 2, 5000)) {
    const { data } = await api(`/api/jobs/${job.id}`);
    if (data.status !== 'running' && data.status !== 'queued') return { ...data.files[0], reason: data.files[0]?.reason ?? data.reason };
    await new Promise((r) => setTimeout(r, wait));
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const censusNumber = form.record.value.trim();
  const files = [...form.files.files].sort((a, b) => natural.compare(a.name, b.name));
  if (!censusNumber || files.length === 0) return;
  const table = document.getElementById('files-table');
  const body = table.querySelector('tbody');
  body.replaceChildren();
  table.hidden = false;
  const rows = files.map((file) => {
    const progress = el('progress', { max: 1, value: 0 });
    const outcome = el('td', { className: 'outcome', textContent: '…' });
    body.append(el('tr', {}, el('td', { textContent: file.name }), el('td', {}, progress), outcome));
    return { file, progress, outcome };
  });
  form.querySelector('button').disabled = true;
  message.replaceChildren();
  let landed = 0;
  let stop = null;
  for (const { progress, file, outcome } of rows) {
    if (stop) {
      // The record itself is wrong or not ours, or the server is out of reach: every row says so.
      outcome.textContent = t('未上传：{reason}', { reason: stop.message });
      outcome.dataset.outcome = 'failed';
      continue;
    }
    try {
      outcome.textContent = t('上传中');
      const job = await waitingFor(send(censusNumber, file, progress));
      progress.value = 1;
      outcome.textContent = t('处理中');
      const report = await finished(job);
      outcome.textContent = `${t(OUTCOMES[report.outcome] ?? report.outcome)}${report.reason ? `${COLON}${problemText(report.reason)}` : ''}`;
      outcome.dataset.outcome = report.outcome;
      if (report.outcome === 'ingested') landed += 1;
    } catch (e) {
      outcome.textContent = `${t('失败')}${COLON}${e.message}`;
      outcome.dataset.outcome = 'failed';
      // The other files would fail the same way.
      if ([0, 401, 403, 404].includes(e.status) || e.code === 'storage_full') stop = e;
    }
  }
  form.querySelector('button').disabled = false;
  if (stop) showError(message, stop);
  else message.className = '';
  message.append(el('p', {}, `${t('已入库')} ${landed} / ${files.length} · `, el('a', { href: `/records/${censusNumber}`, textContent: t('查看此书') })));
});

// The NLC template's structure sheets for the same record: checked (dry run) or set.
const structure = /** @type {HTMLFormElement} */ (document.getElementById('structure'));
const structureResult = document.getElementById('structure-result');
structure.addEventListener('submit', async (event) => {
  event.preventDefault();
  const censusNumber = form.record.value.trim();
  const data = new FormData();
  for (const name of ['volumes', 'contents']) if (structure[name].files[0]) data.append(name, structure[name].files[0]);
  if (!censusNumber || ![...data.keys()].length) return;
  const dryRun = structure.dryRun.checked;
  try {
    const { etag } = await api(`/api/records/${encodeURIComponent(censusNumber)}`);
    const { data: result } = await api(`/api/records/${encodeURIComponent(censusNumber)}/structure/sheets?dryRun=${dryRun}`, { method: 'POST', form: data, ifMatch: etag });
    structureResult.replaceChildren(
      el('p', { className: 'notice', textContent: t(dryRun ? '结构可以导入。' : '结构已更新。') }),
      el('div', { className: 'scroll' }, el('table', { className: 'list', id: 'structure-pages' },
        el('thead', {}, el('tr', {}, el('th', { textContent: '#' }), el('th', { textContent: t('册') }), el('th', { textContent: t('卷') }), el('th', { textContent: t('目次') }))),
        el('tbody', {}, ...result.pages.map((p, i) => el('tr', {},
          el('td', { className: 'num', textContent: String(i + 1) }), el('td', { textContent: p.volume ?? '' }), el('td', { textContent: p.juan ?? '' }),
          el('td', { textContent: (p.headings ?? []).map((h) => `${'　'.repeat(h.level - 1)}${h.title}${h.author ? `（${h.author}）` : ''}`).join(' / ') })))))));
  } catch (e) {
    if (!e.details.length) return showError(structureResult, e);
    structureResult.replaceChildren(el('p', { className: 'notice error', role: 'alert', textContent: e.message }),
      el('div', { className: 'scroll' }, el('table', { className: 'list', id: 'structure-problems' },
        el('thead', {}, el('tr', {}, el('th', { textContent: t('表') }), el('th', { className: 'num', textContent: t('行') }), el('th', { textContent: t('列') }), el('th', { textContent: t('问题') }))),
        el('tbody', {}, ...e.details.map((d) => el('tr', {},
          el('td', { textContent: d.field === 'volumes' ? t('分册表（册次、册名、文件）') : d.field === 'contents' ? t('目次表（层级、题名、著者、册次、起始叶）') : d.field }),
          el('td', { className: 'num', textContent: d.row ?? '' }), el('td', { textContent: d.column ?? '' }), el('td', { textContent: problemText(d.problem) })))))));
  }
});
for (const sheet of ['volumes', 'contents']) {
  document.getElementById(`export-${sheet}`).addEventListener('click', async (event) => {
    event.preventDefault();
    const censusNumber = form.record.value.trim();
    if (!censusNumber) return form.record.focus();
    await download(`/api/records/${encodeURIComponent(censusNumber)}/structure/sheets/${sheet}.xlsx`, `${censusNumber}-${sheet}.xlsx`)
      .catch((e) => showError(structureResult, e));
  });
}
