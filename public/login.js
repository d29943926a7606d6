// @ts-check
// Sign-in: sends the credentials, keeps the session for every tab of the site (ui.js) and goes back
// where it came from.
import { api, session, t } from './ui.js';
import { safeNext } from './safe-next.js';

const form = /** @type {HTMLFormElement} */ (document.getElementById('login'));
const target = safeNext(new URLSearchParams(location.search).get('next'));
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = document.getElementById('error');
  try {
    const { data } = await api('/api/session', { method: 'POST', body: { username: form.username.value.trim(), password: form.password.value } });
    session.save(data);
    location.assign(target);
  } catch (e) {
    error.hidden = false;
    error.textContent =
      e.status === 401 ? t('用户名或密码不对。')
      : e.status === 429 ? t('尝试次数过多，请稍后再试。')
      : e.message;
    form.password.select();
  }
});
// The button comes disabled (login.html): sent before this script had run, the form would have
// gone the browser's way, the password with it. Posted, not in the address: method="post".
/** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]')).disabled = false;
