// @ts-check
// The review queue (审校): records by workflow status, newest change first. Reviewers return
// (with a reason) or approve submitted records and publish approved ones; surveyors see their
// unit's drafts and returned records with the reviewer's comment, and submit them again.
import { api, COLON, el, session, showError, signedIn, stackOnPhones, STATUS_LABELS, t, when } from './ui.js';

await signedIn();
const params = new URLSearchParams(location.search);
// Those who review see what waits for them first; those who only submit, what came back to them.
const TABS = session.actions.includes('approve') ? ['submitted', 'approved', 'returned', 'draft', 'published'] : ['returned', 'draft', 'submitted', 'approved', 'published'];
const status = TABS.includes(params.get('status')) ? params.get('status') : TABS[0];
const page = Math.max(1, Number(params.get('page')) || 1);
const ACTIONS = { submit: '提交审校', return: '退回返修', approve: '通过', publish: '发布' };
const message = document.getElementById('message');

function drawTabs() {
  const tabs = document.getElementById('tabs');
  for (const s of TABS) {
    const a = el('a', { href: `?status=${s}`, textContent: t(s === 'submitted' ? '待审' : STATUS_LABELS[s]) });
    if (s === status) a.setAttribute('aria-current', 'true');
    tabs.append(a);
  }
}

async function act(record, action, comment) {
  try {
    await api(`/api/records/${record.censusNumber}/transitions`, { method: 'POST', body: { action, ...(comment ? { comment } : {}) }, ifMatch: `"v${record.version}"` });
    location.reload();
  } catch (e) {
    showError(message, e);
    message.prepend(`${record.censusNumber}${COLON}`);
    message.focus();
  }
}

function actionsCell(record) {
  const cell = el('td', { className: 'row-actions' });
  for (const action of record.actions.filter((a) => a in ACTIONS)) {
    const button = el('button', { type: 'button', textContent: t(ACTIONS[action]), className: action === 'return' ? 'secondary' : '' });
    button.dataset.action = action;
    button.addEventListener('click', () => {
      if (action !== 'return') return act(record, action);
      // Returning needs a reason; the box opens in the row and the return is sent with it.
      const id = `comment-${record.censusNumber}`;
      if (document.getElementById(id)) return document.getElementById(id).focus();
      const box = el('textarea', { id, rows: 2, required: true });
      const send = el('button', { type: 'button', textContent: t('确定') });
      send.addEventListener('click', () => {
        if (!box.value.trim()) {
          box.setAttribute('aria-invalid', 'true');
          return box.focus();
        }
        act(record, 'return', box.value.trim());
      });
      cell.append(el('label', { htmlFor: id, textContent: t('退回意见（必填）') }), box, send);
      box.focus();
    });
    cell.append(button);
  }
  if (record.actions.includes('edit')) cell.append(el('a', { href: `/records/${record.censusNumber}/edit`, textContent: t('编辑') }));
  return cell;
}

async function main() {
  drawTabs();
  const { data } = await api(`/api/records?status=${status}&sort=-updatedAt&page=${page}&pageSize=20`);
  const body = document.querySelector('#queue tbody');
  if (data.records.length === 0) body.append(el('tr', {}, el('td', { colSpan: 5, className: 'muted', textContent: t('没有记录。') })));
  // The list carries each record's newest comment: no request per row.
  for (const record of data.records) {
    const comment = record.status === 'returned' || record.status === 'submitted' ? record.latestComment : null;
    const row = el('tr', { id: `r-${record.censusNumber}` },
      el('td', {}, el('a', { href: `/records/${record.censusNumber}`, textContent: record.censusNumber })),
      el('td', { textContent: record.titleStatement }),
      el('td', { textContent: `${when(record.updatedAt)} · ${record.updatedBy}` }),
      el('td', {}, comment ? el('blockquote', { className: 'comment', textContent: `${comment.comment}（${comment.actor}）` }) : ''),
      actionsCell(record));
    body.append(row);
  }
  stackOnPhones(document.getElementById('queue'));
  const pages = Math.ceil(data.total / data.pageSize);
  const pager = document.getElementById('pager');
  if (pages > 1) {
    if (page > 1) pager.append(el('a', { href: `?status=${status}&page=${page - 1}`, textContent: t('上一页') }));
    pager.append(el('span', { textContent: t('第 {page} / {pages} 页', { page, pages }) }));
    if (page < pages) pager.append(el('a', { href: `?status=${status}&page=${page + 1}`, textContent: t('下一页') }));
  }
}

main().catch((e) => {
  // The queue could not be read: say so, rather than show an empty table.
  document.getElementById('queue').hidden = true;
  showError(message, e);
});
