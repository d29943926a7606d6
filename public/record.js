// @ts-check
// A record's page: every census field as written and what was derived from it; once the book is
// digitized, the page viewer (Mirador, right to left), the manifest link, an embed snippet and the
// access copies; for staff, the review actions this reader may take and the history.
import { drawShare } from './share.js';
import { api, el, fieldLabel, FIELDS, session, showError, STATUS_LABELS, t, when } from './ui.js';
import { reloadWhenSignedIn, shareSessionWithViewer } from './iiif-access-cookie.js';
import { load, miradorSettings, miradorWindow, whenNear } from './viewer-load.js';

const censusNumber = decodeURIComponent(location.pathname.split('/').pop());
// Published records come with their fields drawn on the server; drafts (staff only) are drawn here.
const serverDrawn = document.querySelector('#fields dt') !== null;
const ACTION_LABELS = { edit: '编辑', submit: '提交审校', return: '退回返修', approve: '通过', publish: '发布', withdraw: '撤销发布' };
const HISTORY_LABELS = { create: '创建', update: '修改', submit: '提交', return: '退回', approve: '通过', publish: '发布了', withdraw: '撤销发布', scan: '上传影像', structure: '编辑' };

/** A field's value as written, for display: lists one per line. */
function shown(record, key) {
  const value = key.split('.').reduce((v, k) => v?.[k], record);
  if (Array.isArray(value)) return value.join('\n');
  return value === undefined || value === null || value === '' ? null : String(value);
}

async function main() {
  let record;
  let units;
  try {
    [record, units] = (await Promise.all([api(`/api/records/${encodeURIComponent(censusNumber)}`), api('/api/units')])).map((r) => r.data);
  } catch (e) {
    // A published record's fields came drawn by the server (src/http/pages): they stay as they are.
    if (!serverDrawn) document.getElementById('title').textContent = e.status === 404 ? t('未找到此登记（或尚未发布）') : e.message;
    return;
  }
  if (!serverDrawn) {
    document.title = `${record.titleStatement} · guji`;
    document.getElementById('title').textContent = record.titleStatement;
    drawFields(record, units.units);
  }
  if (record.pageCount > 0) {
    drawDigitized(record);
    const [province, unitCode] = record.censusNumber.split('-');
    drawShare(record, units.units.find((u) => u.province === province && u.code === unitCode)?.name ?? record.holdingUnit);
  }
  if (session.user) {
    drawActions(record);
    drawHistory();
  }
}

function drawFields(record, units) {
  const fields = document.getElementById('fields');
  const row = (label, value) => fields.append(el('dt', { textContent: t(label) }), el('dd', { textContent: value }));
  const [province, unitCode] = record.censusNumber.split('-');
  const unit = units.find((u) => u.province === province && u.code === unitCode);
  for (const { key, label, options } of FIELDS) {
    const written = shown(record, key);
    const option = options?.find(([v]) => v === written);
    const value = key === 'holdingUnit' && unit ? `${unit.name}（${unit.code}）` : option ? t(option[1]) : written;
    if (value !== null) row(label, value);
  }
  // What the service derived from the statements, for the reader to check.
  const d = record.derived;
  const date = d.edition.date;
  row('版本类型', [d.edition.type, ...d.edition.subtypes].filter(Boolean).join(' · ') || '—');
  if (record.annotations?.length) {
    row('批校题跋', record.annotations.map((a) => `${a.dynasty ? `（${a.dynasty}）` : ''}${a.person}${a.role}${a.text ? `：${a.text}` : ''}`).join('\n'));
  }
  if (record.partOf) {
    const work = encodeURIComponent(record.partOf.work);
    fields.append(el('dt', { textContent: t('同一作品其他部分') }),
      el('dd', {}, el('a', { href: `/?work=${work}&sort=censusNumber`, textContent: record.partOf.work }), ' · ', el('a', { href: `/iiif/works/${work}`, textContent: 'IIIF' })));
  }
  row('公元', date?.gregorianFrom != null
    ? `${date.gregorianFrom}${date.gregorianTo !== date.gregorianFrom ? `–${date.gregorianTo}` : ''}${date.uncertain ? t('（存疑）') : ''}`
    : '—');
}

function drawDigitized(record) {
  const manifest = record.links.manifest;
  document.getElementById('digitized').hidden = false;
  (/** @type {HTMLAnchorElement} */ (document.getElementById('manifest-link'))).href = manifest;
  (/** @type {HTMLAnchorElement} */ (document.getElementById('uv-link'))).href = `/viewer?viewer=uv&manifest=${encodeURIComponent(manifest)}`;
  // IIIF drag and drop: a link whose `manifest` parameter names the manifest (https://iiif.io/community/policy/draganddrop/).
  (/** @type {HTMLAnchorElement} */ (document.getElementById('iiif-drag'))).href = `${location.origin}/viewer?manifest=${encodeURIComponent(manifest)}`;
  const title = record.titleStatement.replace(/[&"<>]/g, (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[c]);
  const snippet = `<iframe src="${location.origin}/viewer?manifest=${encodeURIComponent(manifest)}" width="800" height="600" allowfullscreen title="${title}"></iframe>`;
  const embed = /** @type {HTMLTextAreaElement} */ (document.getElementById('embed'));
  embed.value = snippet;
  document.getElementById('copy').addEventListener('click', async () => {
    embed.select();
    // The clipboard needs a secure context; where there is none, the selected text can be copied by hand.
    const copied = await navigator.clipboard?.writeText(snippet).then(() => true, () => false);
    document.getElementById('copied').textContent = copied ? t('已复制') : '';
  });
  const downloads = document.getElementById('downloads');
  for (const page of record.pages) {
    // The access copy (at most 1000 px a side) is pre-made at ingest and served as it is.
    const href = `/iiif/3/${page.imageId}/full/!1000,1000/0/default.jpg`;
    const label = [page.juan, page.label].filter(Boolean).join(' ') || t('第 {n} 半叶', { n: page.sequence });
    // Staff proofread each page's text (校对) from here.
    const proof = session.user ? el('a', { href: `/records/${record.censusNumber}/pages/${page.sequence}/proof`, textContent: t('校对') }) : null;
    downloads.append(el('li', {}, el('a', { href, download: `${record.censusNumber}-${String(page.sequence).padStart(4, '0')}.jpg`, textContent: label }), proof && ' · ', proof));
  }
  // A draft's scans are shown to staff through the IIIF access cookie (src/iiif/auth.ts).
  reloadWhenSignedIn();
  // Mirador (2.3 MB) only once the reader nears the viewer: the page itself stays within issue
  // 20's budget, and a reader who came for the fields never downloads it.
  const viewer = document.getElementById('viewer');
  whenNear(viewer).then(() => Promise.all([load('script', { src: viewer.dataset.miradorSrc }), shareSessionWithViewer()])).then(() => {
    window.miradorInstance = Mirador.viewer({
      id: 'viewer',
      windows: [{ manifestId: manifest, view: 'book' }],
      window: miradorWindow({}),
      ...miradorSettings(),
    });
  });
}

function drawActions(record) {
  document.getElementById('staff').hidden = false;
  document.getElementById('status').textContent = t(STATUS_LABELS[record.status]);
  const actions = document.getElementById('actions');
  const message = document.getElementById('action-message');
  for (const action of (record.actions ?? []).filter((a) => a in ACTION_LABELS)) {
    if (action === 'edit') {
      actions.append(el('a', { href: `/records/${record.censusNumber}/edit`, textContent: t('编辑') }));
      continue;
    }
    const button = el('button', { type: 'button', textContent: t(ACTION_LABELS[action]), className: action === 'return' ? 'secondary' : '' });
    button.dataset.action = action;
    button.addEventListener('click', async () => {
      let comment;
      if (action === 'return' || action === 'withdraw') {
        comment = await askComment(actions, action === 'withdraw' ? '撤销发布的理由（必填）' : '退回意见（必填）');
        if (comment === null) return;
      }
      try {
        await api(`/api/records/${record.censusNumber}/transitions`, { method: 'POST', body: { action, ...(comment ? { comment } : {}) } });
        location.reload();
      } catch (e) {
        showError(message, e);
      }
    });
    actions.append(button);
  }
  if (record.actions?.includes('uploadScans')) actions.append(el('a', { href: `/upload?record=${record.censusNumber}`, textContent: t('上传影像') }));
}

/** Asks for the reason a record is returned or withdrawn; null when the reviewer cancels. */
function askComment(container, label) {
  return new Promise((resolve) => {
    const box = el('textarea', { id: 'comment', rows: 3, required: true });
    const ok = el('button', { type: 'button', textContent: t('确定') });
    const cancel = el('button', { type: 'button', className: 'secondary', textContent: t('取消') });
    const form = el('div', { className: 'stack' }, el('label', { htmlFor: 'comment', textContent: t(label) }), box, el('div', { className: 'row-actions' }, ok, cancel));
    container.after(form);
    box.focus();
    ok.addEventListener('click', () => {
      if (!box.value.trim()) {
        box.setAttribute('aria-invalid', 'true');
        box.focus();
        return;
      }
      form.remove();
      resolve(box.value.trim());
    });
    cancel.addEventListener('click', () => {
      form.remove();
      resolve(null);
    });
  });
}

async function drawHistory() {
  const { data } = await api(`/api/records/${encodeURIComponent(censusNumber)}/history`);
  document.getElementById('history-section').hidden = false;
  const list = document.getElementById('history');
  for (const entry of [...data.entries].reverse()) {
    const changed = entry.changes.map((c) => fieldLabel(c.field)).join('、');
    list.append(el('li', {},
      el('div', { textContent: `${when(entry.at)} · ${entry.actor} · ${t(HISTORY_LABELS[entry.action] ?? entry.action)}${changed && entry.action === 'update' ? `：${changed}` : ''}` }),
      entry.comment ? el('blockquote', { textContent: entry.comment }) : null,
    ));
  }
}

main();
