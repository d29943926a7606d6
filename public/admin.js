// Administration: the accounts (surveyors belong to a unit) and the holding units of the district.
import { api, el, problemText, signedIn, stackOnPhones, t, when } from './ui.js';

await signedIn();
const ROLES = { surveyor: '普查员', reviewer: '审校员', admin: '管理员' };

async function load() {
  const [{ data: users }, { data: units }] = await Promise.all([api('/api/users'), api('/api/units')]);
  document.querySelector('#users tbody').replaceChildren(...users.users.map((u) => el('tr', {},
    el('td', { textContent: u.username }), el('td', { textContent: u.displayName ?? '' }), el('td', { textContent: t(ROLES[u.role]) }),
    el('td', { textContent: u.unit ?? '' }), el('td', { textContent: when(u.createdAt) }))));
  stackOnPhones(document.getElementById('users'));
  document.querySelector('#units tbody').replaceChildren(...units.units.map((u) => el('tr', {},
    el('td', { textContent: u.province }), el('td', { textContent: u.code }), el('td', { textContent: u.name }))));
  const select = document.getElementById('u-unit');
  select.replaceChildren(el('option', { value: '', textContent: '—' }), ...units.units.map((u) => el('option', { value: `${u.province}-${u.code}`, textContent: `${u.name}（${u.province}-${u.code}）` })));
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
      await api(path, { method: 'POST', body });
      form.reset();
      done.textContent = t('已添加。');
      await load();
    } catch (e) {
      done.textContent = '';
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
load();
