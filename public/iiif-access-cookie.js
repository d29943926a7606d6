// @ts-check
// The IIIF access cookie (src/iiif/auth.ts) from this tab's staff session (the bearer token
// ui.js keeps in localStorage, shared by the site's tabs): the viewers fetch manifests and load images with the cookie,
// since neither can add a bearer token to them. No session, no cookie: the viewer then shows
// its sign-in prompt for unpublished books.
export async function shareSessionWithViewer() {
  // Reading storage throws where the browser denies it (an embed in a page with no origin, a
  // sandboxed frame, blocked third-party storage): that is no session, not an error.
  let token = null;
  try {
    token = localStorage.getItem('guji-token');
  } catch {
    return false;
  }
  if (!token) return false;
  const answer = await fetch('/iiif/auth/cookie', { method: 'POST', headers: { authorization: `Bearer ${token}` } }).catch(() => null);
  return answer?.ok ?? false;
}

// When the viewer's own sign-in succeeds (the token page posts our access token; a viewer asks
// for one only after a 401), the page is loaded again: the manifest it holds is the withheld
// form, without the book's title or contents, and Mirador keeps the tiles that failed.
export function reloadWhenSignedIn() {
  window.addEventListener('message', (event) => {
    if (event.origin === location.origin && event.data?.type === 'AuthAccessToken2') location.reload();
  });
}
