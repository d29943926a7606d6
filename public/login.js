import { api, session, t } from '/ui.js';
const form = document.getElementById('login');
// Only a path on this site: ?next= must not send anyone elsewhere.
const next = new URLSearchParams(location.search).get('next');
const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/review';
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = document.getElementById('error');
  try {
    const { data } = await api('/api/session', { method: 'POST', body: { username: form.username.value.trim(), password: form.password.value } });
    session.save(data);
    location.assign(target);
  } catch (e) {
    error.hidden = false;
    error.textContent = e.status === 401 ? t('用户名或密码不对。') : e.message;
    form.password.select();
  }
});
