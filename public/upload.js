// Scan upload: one request per file, so each file shows its own progress bar and outcome
// (ingested, already on the record, or refused with the reason from the ingest job). Files go
// in natural name order (2 before 10), the order the pages take.
import { api, el, signedIn, session, t } from './ui.js';

await signedIn();
const form = document.getElementById('upload');
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
    xhr.addEventListener('load', () => (xhr.status === 202 ? resolve(xhr.response.job) : reject(Object.assign(new Error(xhr.response?.error?.message ?? `HTTP ${xhr.status}`), { status: xhr.status }))));
    xhr.addEventListener('error', () => reject(new Error('network error')));
    const data = new FormData();
    data.append('files', file, file.name);
    xhr.send(data);
  });
}

async function finished(job) {
  for (;;) {
    const { data } = await api(`/api/jobs/${job.id}`);
    if (data.status === 'done') return data.files[0];
    await new Promise((r) => setTimeout(r, 300));
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
  let landed = 0;
  for (const { file, progress, outcome } of rows) {
    try {
      outcome.textContent = t('上传中');
      const job = await send(censusNumber, file, progress);
      progress.value = 1;
      outcome.textContent = t('处理中');
      const report = await finished(job);
      outcome.textContent = `${t(OUTCOMES[report.outcome] ?? report.outcome)}${report.reason ? `：${report.reason}` : ''}`;
      outcome.dataset.outcome = report.outcome;
      if (report.outcome === 'ingested') landed += 1;
    } catch (e) {
      outcome.textContent = `${t('失败')}：${e.message}`;
      outcome.dataset.outcome = 'failed';
      // The record itself is wrong or not ours: the other files would fail the same way.
      if (e.status === 403 || e.status === 404 || e.status === 401) break;
    }
  }
  form.querySelector('button').disabled = false;
  message.replaceChildren(`${t('已入库')} ${landed} / ${files.length} · `, el('a', { href: `/records/${censusNumber}`, textContent: t('查看此书') }));
});
