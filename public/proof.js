// @ts-check
// Proofreading one page (校对): the leaf beside its text, column by column right to left. Each
// column is a field in reading order (Tab goes right to left through the page); the engine's
// reading beside it marks the characters it was unsure of. Saves with If-Match; a reviewer
// verifies (审定). Keyboard: Tab between columns, Ctrl+Enter saves.
import { api, ApiError, el, errorText, fieldLabel, session, signedIn, t, when } from './ui.js';

const user = await signedIn();
const [, , censusNumber, , n] = location.pathname.split('/');
const sequence = Number(n);
const base = `/api/records/${censusNumber}/pages/${sequence}`;
/** Characters the engine read with less than this probability are marked for a second look. */
const LOW = 0.6;
const KINDS = { main: '正文', note: '小注', banxin: '版心' };
const ACTIONS = { ocr: '识别', align: '对齐', proofread: '校对', verify: '审定' };
const STATUSES = { ocr: '机器识别稿', aligned: '已对齐', proofread: '已校对', verified: '已审定' };
const message = document.getElementById('message');
let etag = null;
let current = null;

async function drawImage(imageId, width, height) {
  const img = /** @type {HTMLImageElement} */ (document.getElementById('image'));
  img.alt = t('第 {n} 半叶', { n: sequence });
  img.width = width;
  img.height = height;
  // Drafts' images are for staff: fetched with the session's token, shown from memory.
  const res = await fetch(`/iiif/3/${imageId}/full/!1000,1000/0/default.jpg`, { headers: { authorization: `Bearer ${session.token}` } });
  if (res.ok) img.src = URL.createObjectURL(await res.blob());
}

function showBox(box) {
  const focus = document.getElementById('focus-box');
  if (!box || !current) {
    focus.hidden = true;
    return;
  }
  const [x, y, w, h] = box;
  Object.assign(focus.style, {
    left: `${(100 * x) / current.width}%`, top: `${(100 * y) / current.height}%`, width: `${(100 * w) / current.width}%`, height: `${(100 * h) / current.height}%`,
  });
  focus.hidden = false;
}

function drawColumns(page) {
  const list = document.getElementById('columns');
  list.replaceChildren();
  page.columns.forEach((column, i) => {
    const label = t('第 {n} 行（{kind}）', { n: i + 1, kind: t(KINDS[column.kind]) });
    const reading = el('span', { className: 'reading', ariaHidden: 'true' });
    for (const c of column.chars) {
      if (c.confidence < LOW) reading.append(el('mark', { className: 'low', title: t('识别把握 {p}%', { p: Math.round(c.confidence * 100) }), textContent: c.char }));
      else reading.append(c.char);
    }
    const low = column.chars.filter((c) => c.confidence < LOW).length;
    const input = el('input', { type: 'text', value: column.text, lang: 'zh-Hant', spellcheck: false, autocomplete: 'off', id: `column-${i + 1}` });
    input.setAttribute('aria-label', low ? `${label}${t('，{n} 字存疑', { n: low })}` : label);
    input.dataset.index = String(i);
    input.addEventListener('focus', () => showBox(column.box));
    list.append(el('li', { className: column.kind }, el('span', { className: 'kind', textContent: `${i + 1}` }), input, reading));
  });
  if (page.columns.length === 0) list.append(el('li', { className: 'muted', textContent: t('此页未识别出文字。') }));
}

async function drawHistory() {
  const { data } = await api(`${base}/text/history`);
  document.getElementById('history').replaceChildren(...data.entries.reverse().map((e) =>
    el('li', {}, `${t(ACTIONS[e.action] ?? e.action)} · ${e.actor} · ${when(e.at)} · v${e.version}`,
      e.changes.length ? el('span', { className: 'muted', textContent: ` · ${t('{n} 处改动', { n: e.changes.length })}` }) : null)));
}

function draw(page, record) {
  current = page;
  if (record) {
    document.title = `${t('校对')} · ${record.titleStatement} · guji`;
    document.getElementById('title').textContent = `${record.titleStatement} · ${t('第 {n} 半叶', { n: sequence })}`;
    const leaves = document.getElementById('leaves');
    leaves.replaceChildren(el('a', { href: `/records/${censusNumber}`, textContent: censusNumber }));
    if (sequence > 1) leaves.append(' ', el('a', { href: `/records/${censusNumber}/pages/${sequence - 1}/proof`, textContent: t('上一半叶') }));
    if (sequence < (record.pageCount ?? 0)) leaves.append(' ', el('a', { href: `/records/${censusNumber}/pages/${sequence + 1}/proof`, textContent: t('下一半叶') }));
  }
  const facts = document.getElementById('facts');
  facts.replaceChildren(el('b', { id: 'status', className: `status-${page.status}`, textContent: t(STATUSES[page.status]) }),
    ` · ${page.updatedBy} · ${when(page.updatedAt)} · v${page.version}`);
  drawColumns(page);
  // Reviewers and admins verify (审定); surveyors proofread.
  document.getElementById('verify').hidden = user.role === 'surveyor';
}

function columnsFromForm() {
  return [.../** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll('#columns input'))].map((input) => {
    const column = current.columns[Number(input.dataset.index)];
    return { kind: column.kind, box: column.box, text: input.value.trim() };
  }).filter((c) => c.text);
}

/** A column at fault named as the reader counts them (columns.0.text → 第 1 列), other fields as the form names them. */
const columnLabel = (field) => {
  const column = /^columns\.(\d+)/.exec(field ?? '');
  return column ? t('第 {n} 列', { n: Number(column[1]) + 1 }) : fieldLabel(field);
};

async function save(status) {
  message.textContent = t('保存中…');
  try {
    const { data, etag: next } = await api(`${base}/text`, { method: 'PUT', body: { columns: columnsFromForm(), status }, ifMatch: etag });
    etag = next;
    draw(data);
    message.textContent = t(status === 'verified' ? '已审定。' : '已保存。');
    await drawHistory();
  } catch (e) {
    message.replaceChildren(e instanceof ApiError && e.status === 412
      ? el('span', {}, t('他人已先保存了此页。请重新载入后再改（你的改动在下方各行中，可先复制）。'), ' ', reloadButton())
      : errorText(e, columnLabel));
  }
}

function reloadButton() {
  const button = el('button', { type: 'button', className: 'secondary', textContent: t('重新载入') });
  button.addEventListener('click', () => location.reload());
  return button;
}

const form = document.getElementById('text');
form.addEventListener('submit', (event) => {
  event.preventDefault();
  void save('proofread');
});
form.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    void save('proofread');
  }
});
document.getElementById('verify').addEventListener('click', () => void save('verified'));

try {
  const [{ data: page, etag: tag }, { data: record }] = await Promise.all([api(`${base}/text`), api(`/api/records/${censusNumber}`)]);
  etag = tag;
  draw(page, record);
  await Promise.all([drawImage(page.imageId, page.width, page.height), drawHistory()]);
} catch (e) {
  document.getElementById('title').textContent = e instanceof ApiError && e.status === 404 ? t('此页尚无文字（或无权查看）') : errorText(e);
  form.hidden = true;
}
