// @ts-check
// Registering a record (/register) and editing one (/records/{censusNumber}/edit). The API is the
// judge of what is valid: its field errors are shown beside the fields they name. An edit is sent
// with the ETag it was made from; when someone else saved first, both versions are shown field
// by field and the editor chooses, so nothing either wrote is lost. What is typed is kept on this
// device as it is typed (a draft), so a closed tab or a lost connection loses nothing.
import { api, COLON, el, fieldFor, fieldLabel, FIELDS, problemText, READ_ONLY_KEYS, showError, signedIn, t, when } from './ui.js';

const user = await signedIn();
const editing = /^\/records\/([^/]+)\/edit$/.exec(location.pathname)?.[1];
const form = /** @type {HTMLFormElement} */ (document.getElementById('record'));
const summary = document.getElementById('summary');
// Keys the form does not show (批校题跋, corrections) are carried through an edit untouched.
let base = {};
let etag = null;
// Fields a draft may leave empty but a submission for review may not (src/domain/workflow.ts).
const REQUIRED_TO_SUBMIT = new Set(['grade', 'damage.grade']);
const draftKey = `guji-draft:${user.username}:${editing ?? 'new'}`;

const controlId = (key) => `f-${key.replace('.', '-')}`;
const getPath = (object, key) => key.split('.').reduce((v, k) => v?.[k], object);
/** The form's control for a field that is not a group of checkboxes: an input, a textarea or a select. */
const control = (key) => /** @type {HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement} */ (form.elements.namedItem(key));
/** A group's checkboxes (a field of kind `checkboxes`), or those of them that are ticked. */
const boxes = (key, ticked = false) => /** @type {NodeListOf<HTMLInputElement>} */ (form.querySelectorAll(`input[name="${key}"]${ticked ? ':checked' : ''}`));

function drawForm(vocabularies, units) {
  for (const field of FIELDS) {
    const id = controlId(field.key);
    const submitOnly = REQUIRED_TO_SUBMIT.has(field.key);
    const label = el('label', { htmlFor: id }, t(field.label),
      field.required ? el('span', { className: 'req', textContent: ` *`, title: t('必填') }) : null,
      submitOnly ? el('span', { className: 'req', textContent: ' †', title: t('提交审校前必填') }) : null);
    let control;
    const terms = field.vocabulary ? (vocabularies[field.vocabulary] ?? []).map((v) => (typeof v === 'string' ? v : v.term)) : [];
    if (field.kind === 'choice') {
      const options = field.options ?? terms.map((term) => [term, term]);
      control = el('select', { id, name: field.key }, el('option', { value: '', textContent: '—' }), ...options.map(([value, text]) => el('option', { value, textContent: t(text) })));
    } else if (field.kind === 'checkboxes') {
      control = el('div', { className: 'checks', id, role: 'group' },
        ...terms.map((term) => el('label', {}, el('input', { type: 'checkbox', name: field.key, value: term }), ` ${term}`)));
      label.removeAttribute('for');
      label.id = `${id}-label`;
      control.setAttribute('aria-labelledby', label.id);
    } else if (field.kind === 'lines' || field.kind === 'long') {
      control = el('textarea', { id, name: field.key, rows: field.kind === 'long' ? 4 : 2 });
    } else {
      control = el('input', { id, name: field.key, type: 'text', inputMode: field.kind === 'integer' ? 'numeric' : 'text', autocomplete: 'off' });
      if (field.key === 'holdingUnit') {
        control.setAttribute('list', 'units');
        form.append(el('datalist', { id: 'units' }, ...units.filter((u) => !u.disabled).map((u) => el('option', { value: u.code, textContent: `${u.name}（${u.province}-${u.code}）` }))));
      }
      if (field.key === 'classification') {
        control.setAttribute('list', 'divisions');
        form.append(el('datalist', { id: 'divisions' }, ...terms.map((term) => el('option', { value: term }))));
      }
    }
    if (field.required) control.setAttribute('aria-required', 'true');
    const hint = field.hint ?? (submitOnly ? '提交审校前必填（草稿可暂缺）' : field.kind === 'lines' ? '每行一项' : null);
    const cell = el('div', {}, control, hint ? el('small', { className: 'hint', id: `${id}-hint`, textContent: t(hint) }) : null);
    if (hint) control.setAttribute('aria-describedby', `${id}-hint`);
    form.append(label, cell);
  }
  form.prepend(el('p', { className: 'muted legend', textContent: t('* 必填；† 提交审校前必填') }));
  form.append(el('div', { className: 'actions' }, el('button', { type: 'submit', textContent: t(editing ? '保存' : '保存草稿') })));
}

function fill(record) {
  for (const field of FIELDS) {
    const value = getPath(record, field.key);
    if (field.kind === 'checkboxes') {
      for (const box of boxes(field.key)) box.checked = (value ?? []).includes(box.value);
    } else {
      control(field.key).value = Array.isArray(value) ? value.join('\n') : value ?? '';
    }
  }
}

/** The record as the form says it, over the keys the form does not show. */
function read() {
  const body = structuredClone(base);
  // Grouped keys (damage.grade, presentation.rights) are rebuilt from the form.
  const groups = {};
  for (const field of FIELDS) {
    let value;
    if (field.kind === 'checkboxes') {
      value = [...boxes(field.key, true)].map((b) => b.value);
      if (value.length === 0) value = undefined;
    } else {
      const raw = control(field.key).value;
      // Text is kept as typed; only empty fields are left out.
      if (raw.trim() === '') value = undefined;
      else if (field.kind === 'lines') value = raw.split('\n').map((s) => s.trim()).filter(Boolean);
      else if (field.kind === 'integer') value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
      else value = raw;
    }
    const [key, part] = field.key.split('.');
    if (part) {
      groups[key] ??= {};
      if (value !== undefined) groups[key][part] = value;
    } else if (value === undefined) {
      delete body[key];
    } else {
      body[key] = value;
    }
  }
  for (const [key, group] of Object.entries(groups)) {
    if (Object.keys(group).length === 0) delete body[key];
    // A damage entry needs its grade: sent empty, the API names the field that is missing.
    else body[key] = key === 'damage' ? { grade: '', types: [], ...group } : group;
  }
  return body;
}

function clearErrors() {
  summary.replaceChildren();
  summary.className = '';
  for (const node of form.querySelectorAll('.field-error')) node.remove();
  for (const node of form.querySelectorAll('[aria-invalid]')) {
    node.removeAttribute('aria-invalid');
    node.setAttribute('aria-describedby', node.getAttribute('aria-describedby').split(' ').filter((x) => !x.endsWith('-error')).join(' '));
  }
}

function showErrors(error) {
  const list = el('ul');
  let first = null;
  // In the order of the form, so the summary reads as the form does.
  const order = (d) => {
    const i = FIELDS.indexOf(fieldFor(d.field));
    return i < 0 ? FIELDS.length : i;
  };
  for (const { field, problem } of [...error.details].sort((a, b) => order(a) - order(b))) {
    const key = fieldFor(field)?.key;
    const label = fieldLabel(field);
    list.append(el('li', {}, key ? el('a', { href: `#${controlId(key)}`, textContent: label }) : label, `${COLON}${problemText(problem)}`));
    if (!key) continue;
    const control = document.getElementById(controlId(key));
    const message = el('span', { className: 'field-error', id: `${controlId(key)}-error`, textContent: problemText(problem) });
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), message.id].filter(Boolean).join(' '));
    control.parentElement.append(message);
    first ??= control;
  }
  summary.className = 'notice error';
  summary.setAttribute('role', 'alert');
  summary.append(el('p', { textContent: error.details.length ? `${error.message} ${t('请改正标出的 {n} 处。', { n: error.details.length })}` : error.message }), list);
  (first ?? summary).focus();
}

async function save(body, ifMatch) {
  clearErrors();
  try {
    const result = editing
      ? await api(`/api/records/${encodeURIComponent(editing)}`, { method: 'PUT', body, ifMatch })
      : await api('/api/records', { method: 'POST', body });
    localStorage.removeItem(draftKey);
    location.assign(`/records/${result.data.censusNumber}`);
  } catch (e) {
    if (e.status === 412) await showConflict(body).catch(showErrors);
    else showErrors(e);
  }
}

/** Someone saved first: each field that differs, with both values; the editor picks, then saves on top of theirs. */
async function showConflict(mine) {
  const { data: current, etag: theirEtag } = await api(`/api/records/${encodeURIComponent(editing)}`);
  const theirs = strip(current);
  const keys = [...new Set([...Object.keys(mine), ...Object.keys(theirs)])].filter((k) => JSON.stringify(mine[k]) !== JSON.stringify(theirs[k]));
  const panel = document.getElementById('conflict');
  const text = (v) => (v === undefined || v === null ? t('（空）') : typeof v === 'object' ? (Array.isArray(v) ? v.join('、') : Object.values(v).flat().filter(Boolean).join(' ')) : String(v));
  const rows = keys.map((key) => {
    const name = `pick-${key}`;
    const label = fieldLabel(key);
    return el('tr', {},
      el('th', { scope: 'row', textContent: label }),
      el('td', {}, el('label', {}, el('input', { type: 'radio', name, value: 'mine', checked: true }), ` ${text(mine[key])}`)),
      el('td', {}, el('label', {}, el('input', { type: 'radio', name, value: 'theirs' }), ` ${text(theirs[key])}`)));
  });
  const button = el('button', { type: 'button', textContent: t('合并后保存') });
  button.addEventListener('click', () => {
    const merged = structuredClone(theirs);
    for (const key of keys) {
      const pick = /** @type {HTMLInputElement} */ (panel.querySelector(`input[name="pick-${key}"]:checked`)).value;
      if (pick === 'theirs') continue;
      if (mine[key] === undefined) delete merged[key];
      else merged[key] = mine[key];
    }
    panel.hidden = true;
    base = merged;
    fill(merged);
    save(merged, theirEtag);
  });
  panel.replaceChildren(
    el('p', { className: 'notice error', role: 'alert', textContent: t('他人已先保存了此登记。请逐项选择保留哪一版，再保存；两边的内容都不会丢失。') }),
    el('div', { className: 'scroll' }, el('table', { className: 'list conflict' },
      el('thead', {}, el('tr', {}, el('th', { textContent: t('字段') }), el('th', { textContent: t('我的修改') }), el('th', { textContent: `${t('对方已保存')}（${current.updatedBy}）` }))),
      el('tbody', {}, ...rows))),
    el('p', {}, button));
  panel.hidden = false;
  panel.scrollIntoView();
  button.focus();
}

function strip(record) {
  const copy = { ...record };
  for (const key of READ_ONLY_KEYS) delete copy[key];
  return copy;
}

/**
 * Keeps what is typed on this device, so that nothing is lost before it is saved. Gives the
 * function that keeps it at once: when the form is sent (the answer may never come) and when the
 * page goes while the last keystrokes wait to be kept.
 */
function keepDraft() {
  let timer = null;
  const keep = () => {
    clearTimeout(timer);
    timer = null;
    localStorage.setItem(draftKey, JSON.stringify({ savedAt: new Date().toISOString(), record: read() }));
  };
  form.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(keep, 300);
  });
  addEventListener('pagehide', () => {
    if (timer) keep();
  });
  return keep;
}

/** A draft left from an earlier visit: offered, not imposed; kept until saved or discarded. */
function offerDraft() {
  const draft = JSON.parse(localStorage.getItem(draftKey) ?? 'null');
  if (!draft || JSON.stringify(draft.record) === JSON.stringify(read())) return;
  const panel = document.getElementById('draft');
  const restore = el('button', { type: 'button', textContent: t('恢复') });
  const discard = el('button', { type: 'button', className: 'secondary', textContent: t('丢弃') });
  restore.addEventListener('click', () => {
    base = { ...base, ...draft.record };
    fill(draft.record);
    panel.hidden = true;
    control(FIELDS[0].key).focus();
  });
  discard.addEventListener('click', () => {
    localStorage.removeItem(draftKey);
    panel.hidden = true;
  });
  panel.replaceChildren(el('span', { textContent: t('本机保存有 {at} 未保存的填写内容。', { at: when(draft.savedAt) }) }), ' ', restore, ' ', discard);
  panel.hidden = false;
}

async function main() {
  const [{ data: vocabularies }, { data: unitList }] = await Promise.all([api('/api/vocabularies'), api('/api/units')]);
  drawForm(vocabularies, unitList.units);
  if (editing) {
    const { data, etag: tag } = await api(`/api/records/${encodeURIComponent(editing)}`);
    etag = tag;
    base = strip(data);
    document.getElementById('heading').textContent = t('修改登记：{cn}', { cn: data.censusNumber });
    document.title = `${t('修改登记：{cn}', { cn: data.censusNumber })} · guji`;
    fill(base);
    /** @type {HTMLInputElement} */ (control('censusNumber')).readOnly = true;
  } else if (user.unit) {
    // A surveyor registers for their own unit: the census number starts with its key.
    control('censusNumber').value = `${user.unit}-`;
    control('holdingUnit').value = user.unit.split('-')[1];
  }
  offerDraft();
  const keep = keepDraft();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    keep();
    save(read(), etag);
  });
}

main().catch((e) => {
  summary.tabIndex = -1;
  showError(summary, e);
  summary.focus();
});
