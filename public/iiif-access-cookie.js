// The IIIF access cookie (src/iiif/auth.ts) from this tab's staff session (the bearer token
// ui.js keeps in sessionStorage): the viewers fetch manifests and load images with the cookie,
// since neither can add a bearer token to them. No session, no cookie: the viewer then shows
// its sign-in prompt for unpublished books.
export async function shareSessionWithViewer() {
  const token = sessionStorage.getItem('guji-token');
  if (!token) return false;
  const answer = await fetch('/iiif/auth/cookie', { method: 'POST', headers: { authorization: `Bearer ${token}` } }).catch(() => null);
  return answer?.ok ?? false;
}
