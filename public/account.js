// @ts-check
// The signed-in person's own account: who they are, their password (the current one asked for,
// the new one under the same policy as everywhere: src/services/passwords.ts), and ending their
// sessions on every browser and device.
import { ApiError, api, session, showError, showNotice, signedIn, t } from './ui.js';

const ROLES = { surveyor: '普查员', reviewer: '审校员', admin: '管理员' };
const user = await signedIn();
const me = (await api(`/api/users/${encodeURIComponent(user.username)}`)).data;
for (const [key, value] of [['username', me.username], ['displayName', me.displayName ?? '—'], ['role', t(ROLES[me.role])], ['unit', me.unit ?? '—']]) {
  /** @type {HTMLElement} */ (document.getElementById(`me-${key}`)).textContent = value;
}

/** Says what was done, or every problem, in `message`; the fields at fault are marked. */
function tell(message, text, error = null, form = null) {
  for (const input of form?.querySelectorAll('input') ?? []) input.removeAttribute('aria-invalid');
  if (error) {
    showError(message, error, { currentPassword: t('当前密码'), password: t('新密码'), again: t('再次输入新密码') });
    for (const detail of error.details ?? []) form?.querySelector(`[name=${detail.field}]`)?.setAttribute('aria-invalid', 'true');
  } else {
    showNotice(message, text);
  }
  message.focus();
}

const form = /** @type {HTMLFormElement} */ (document.getElementById('password-form'));
const passwordMessage = /** @type {HTMLElement} */ (document.getElementById('password-message'));
const sendPassword = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const [current, password, again] = ['currentPassword', 'password', 'again'].map((name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name)).value);
  if (password !== again) {
    // Said here, before the service is asked: it knows nothing of the second box.
    tell(passwordMessage, '', new ApiError(400, { code: 'validation_failed', details: [{ field: 'again', problem: 'must repeat the new password' }] }), form);
    return;
  }
  sendPassword.disabled = true;
  try {
    await api(`/api/users/${encodeURIComponent(user.username)}/password`, { method: 'PUT', body: { currentPassword: current, password } });
    form.reset();
    tell(passwordMessage, t('密码已修改。此账户在其他浏览器和设备上的登录均已结束，本页仍保持登录。'), null, form);
  } catch (e) {
    tell(passwordMessage, '', e, form);
  } finally {
    sendPassword.disabled = false;
  }
});

const end = /** @type {HTMLButtonElement} */ (document.getElementById('end-sessions'));
end.addEventListener('click', async () => {
  end.disabled = true;
  try {
    await api(`/api/users/${encodeURIComponent(user.username)}/sessions`, { method: 'DELETE' });
    // This page's session has ended with the others.
    session.clear();
    location.assign('/login');
  } catch (e) {
    tell(/** @type {HTMLElement} */ (document.getElementById('sessions-message')), '', e);
    end.disabled = false;
  }
});
// Both come disabled (account.html): a password form sent before this script has run would go
// the browser's way (posted, by method="post", but to no handler).
sendPassword.disabled = false;
end.disabled = false;
