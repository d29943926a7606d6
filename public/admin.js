// @ts-check
// Administration: the accounts (surveyors belong to a unit; an account can be disabled, its password
// reset and its sessions ended) and the holding units of the district.
import { api, el, problemText, session, showError, showNotice, signedIn, stackOnPhones, t, when } from './ui.js';

await signedIn();
const ROLES = { surveyor: '普查员', reviewer: '审校员', admin: '管理员' };

async function load() {
  const [{ data: users }, { data: units }] = await Promise.all([api('/api/users'), api('/api/units')]);
  document.querySelector('#users tbody').replaceChildren(...users.users.map((u) => el('tr', { id: `user-${u.username}` },
    el('td', { textContent: u.username }), el('td', { textContent: u.displayName ?? '' }), el('td', { textContent: t(ROLES[u.role]) }),
    el('td', { textContent: u.unit ?? '' }), el('td', { textContent: when(u.createdAt) }),
    el('td', { textContent: t(u.disabled ? '已停用' : '正常') }), accountActions(u))));
  stackOnPhones(document.getElementById('users'));
  document.querySelector('#units tbody').replaceChildren(...units.units.map((u) => el('tr', { id: `unit-${u.province}-${u.code}` },
    el('td', { textContent: u.province }), el('td', { textContent: u.code }), el('td', { className: 'unit-name', textContent: u.name }),
    el('td', { textContent: u.contact ?? '' }), el('td', { textContent: u.identifier ?? '' }), el('td', { textContent: t(u.disabled ? '已停用' : '正常') }), unitActions(u))));
  stackOnPhones(document.getElementById('units'));
  const select = document.getElementById('u-unit');
  // New surveyors join a unit that takes part.
  select.replaceChildren(el('option', { value: '', textContent: '—' }),
    ...units.units.filter((u) => !u.disabled).map((u) => el('option', { value: `${u.province}-${u.code}`, textContent: `${u.name}（${u.province}-${u.code}）` })));
  // How a unit appears as the provider of its manifests: its site, logo and ISIL (PATCH /api/units/{key}).
  const edit = /** @type {HTMLSelectElement} */ (document.getElementById('e-key'));
  const chosen = edit.value;
  edit.replaceChildren(...units.units.map((u) => el('option', { value: `${u.province}-${u.code}`, textContent: `${u.name}（${u.province}-${u.code}）` })));
  if (chosen) edit.value = chosen;
  const fill = () => {
    const unit = units.units.find((u) => `${u.province}-${u.code}` === edit.value);
    for (const field of ['homepage', 'logo', 'identifier']) /** @type {HTMLInputElement} */ (document.getElementById(`e-${field}`)).value = unit?.[field] ?? '';
  };
  edit.onchange = fill;
  fill();
}

/**
 * Says what an action did, or every problem with it, above its list: `which` is `user` or `unit`;
 * the problems name the fields as the forms do.
 */
const LABELS = {
  user: { displayName: '姓名', role: '角色', unit: '单位', disabled: '状态', password: '密码' },
  unit: { name: '单位名称', contact: '联系方式', disabled: '状态' },
};
function tell(which, text, error = null) {
  const message = document.getElementById(`${which}-message`);
  if (error) showError(message, error, Object.fromEntries(Object.entries(LABELS[which]).map(([k, v]) => [k, t(v)])));
  else showNotice(message, text);
  message.focus();
}

/** A unit's buttons: edit its name and contact in the row, disable or enable it. */
function unitActions(unit) {
  const key = `${unit.province}-${unit.code}`;
  const cell = el('td', { className: 'row-actions' });
  const change = async (body, done) => {
    try {
      await api(`/api/units/${key}`, { method: 'PATCH', body });
      tell('unit', t(done, { unit: unit.name }));
      await load();
    } catch (e) {
      tell('unit', null, e);
    }
  };
  const editButton = el('button', { type: 'button', className: 'secondary', textContent: t('编辑') });
  editButton.addEventListener('click', () => {
    if (document.getElementById(`edit-${key}`)) return document.getElementById(`edit-${key}-name`).focus();
    const name = el('input', { id: `edit-${key}-name`, type: 'text', value: unit.name });
    const contact = el('input', { id: `edit-${key}-contact`, type: 'text', value: unit.contact ?? '' });
    const save = el('button', { type: 'button', textContent: t('保存') });
    save.addEventListener('click', () => change({ name: name.value, contact: contact.value.trim() || null }, '已保存 {unit}。'));
    cell.append(el('div', { id: `edit-${key}`, className: 'stack' },
      el('label', { htmlFor: name.id, textContent: t('单位名称') }), name,
      el('label', { htmlFor: contact.id, textContent: t('联系方式') }), contact, save));
    name.focus();
  });
  const toggle = el('button', { type: 'button', className: 'secondary', textContent: t(unit.disabled ? '启用' : '停用') });
  toggle.addEventListener('click', () => change({ disabled: !unit.disabled }, unit.disabled ? '已启用 {unit}。' : '已停用 {unit}。'));
  cell.append(editButton, toggle);
  return cell;
}

/**
 * An account's buttons: disable or enable it (not one's own), reset its password (the new one is
 * typed into the row), end all its sessions. The API ends the sessions of a disabled account
 * and of one whose password is reset.
 */
function accountActions(user) {
  const cell = el('td', { className: 'row-actions' });
  const button = (label, onClick, className = 'secondary') => {
    const b = el('button', { type: 'button', className, textContent: t(label) });
    b.addEventListener('click', onClick);
    return b;
  };
  const act = async (work, done) => {
    try {
      await work();
      tell('user', t(done, { user: user.username }));
      await load();
    } catch (e) {
      tell('user', null, e);
    }
  };
  cell.append(button('编辑', () => editUser(user, cell)));
  if (user.username !== session.user?.username) {
    const disable = !user.disabled;
    cell.append(button(disable ? '停用' : '启用', () =>
      act(() => api(`/api/users/${encodeURIComponent(user.username)}`, { method: 'PATCH', body: { disabled: disable } }), disable ? '已停用 {user}，其会话均已结束。' : '已启用 {user}。')));
  }
  cell.append(button('重置密码', () => {
    const id = `reset-${user.username}`;
    if (document.getElementById(id)) return document.getElementById(id).focus();
    const box = el('input', { id, type: 'password', autocomplete: 'new-password' });
    const send = button('确定', async () => {
      for (const node of cell.querySelectorAll('.field-error')) node.remove();
      try {
        await api(`/api/users/${encodeURIComponent(user.username)}/password`, { method: 'PUT', body: { password: box.value } });
        tell('user', t('已为 {user} 重置密码，其会话均已结束。', { user: user.username }));
        await load();
      } catch (e) {
        box.setAttribute('aria-invalid', 'true');
        const problems = e.details.length ? e.details.map((d) => problemText(d.problem)) : [e.message];
        send.after(...problems.map((p) => el('span', { className: 'field-error', role: 'alert', textContent: p })));
        box.focus();
      }
    }, '');
    cell.append(el('label', { htmlFor: id, textContent: t('新密码') }), box, send);
    box.focus();
  }));
  cell.append(button('结束会话', () =>
    act(() => api(`/api/users/${encodeURIComponent(user.username)}/sessions`, { method: 'DELETE' }), '已结束 {user} 的全部会话。')));
  return cell;
}

/** The account's display name, role and unit, edited in its row; every problem is said above the list. */
function editUser(user, cell) {
  const id = `edit-${user.username}`;
  if (document.getElementById(id)) return document.getElementById(`${id}-displayName`).focus();
  const name = el('input', { id: `${id}-displayName`, type: 'text', value: user.displayName ?? '' });
  const role = el('select', { id: `${id}-role` }, ...Object.entries(ROLES).map(([value, label]) => el('option', { value, textContent: t(label), selected: value === user.role })));
  const unit = /** @type {HTMLSelectElement} */ (document.getElementById('u-unit').cloneNode(true));
  unit.id = `${id}-unit`;
  unit.value = user.unit ?? '';
  const save = el('button', { type: 'button', textContent: t('保存') });
  save.addEventListener('click', async () => {
    try {
      const body = { displayName: name.value.trim() || null, role: role.value, unit: role.value === 'surveyor' ? unit.value || undefined : null };
      await api(`/api/users/${encodeURIComponent(user.username)}`, { method: 'PATCH', body });
      tell('user', t('已保存 {unit}。', { unit: user.username }));
      await load();
    } catch (e) {
      tell('user', null, e);
    }
  });
  cell.append(el('div', { id, className: 'stack' },
    el('label', { htmlFor: name.id, textContent: t('姓名') }), name,
    el('label', { htmlFor: role.id, textContent: t('角色') }), role,
    el('label', { htmlFor: unit.id, textContent: t('单位') }), unit, save));
  name.focus();
}

/** Sends a form's non-empty fields; the API's field errors appear under their fields. */
function wire(form, path, prefix) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const node of form.querySelectorAll('.field-error')) node.remove();
    for (const node of form.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
    const body = Object.fromEntries([...new FormData(form)].filter(([, v]) => v !== ''));
    const done = form.querySelector('.done');
    try {
      // The unit form names the unit in the path (PATCH /api/units/{key}), not in the body.
      const { key, ...fields } = body;
      await (key === undefined ? api(path, { method: 'POST', body }) : api(`${path}/${key}`, { method: 'PATCH', body: fields }));
      if (key === undefined) form.reset();
      done.textContent = t(key === undefined ? '已添加。' : '已保存。');
      await load();
    } catch (e) {
      done.textContent = '';
      // Every field at fault beside its field; with none named, the code's sentence.
      const problems = e.details.length ? e.details : [{ field: null, problem: e.message }];
      for (const { field, problem } of problems) {
        const control = document.getElementById(`${prefix}-${field}`);
        const message = el('span', { className: 'field-error', role: 'alert', textContent: problemText(problem) });
        if (control) {
          control.setAttribute('aria-invalid', 'true');
          control.after(message);
        } else {
          done.after(message);
        }
      }
      form.querySelector('[aria-invalid]')?.focus();
    }
  });
}

wire(document.getElementById('new-user'), '/api/users', 'u');
wire(document.getElementById('new-unit'), '/api/units', 'n');
wire(document.getElementById('edit-unit'), '/api/units', 'e');
load().catch((e) => tell('user', null, e));
