// @ts-check
// The IIIF access service's window (IIIF Authorization Flow 2.0 §2.2, Authentication 1.0 §3.1),
// opened by Mirador or the Universal Viewer: signs the viewer in with this tab's guji session
// and closes, which tells the viewer to ask the token service; without a session it links to
// the sign-in page, which comes back here.
import { shareSessionWithViewer } from './iiif-access-cookie.js';

const status = document.getElementById('status');
if (await shareSessionWithViewer()) {
  status.textContent = '已登录，窗口即将关闭。 Signed in: this window closes now.';
  window.close();
} else {
  status.textContent = '请先登录 guji。 Sign in to guji first.';
  (/** @type {HTMLAnchorElement} */ (document.getElementById('signin-link'))).href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
  document.getElementById('signin').hidden = false;
}
