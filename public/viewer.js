// The embeddable viewer: /viewer?manifest=<manifest URL>[&viewer=uv]. Mirador 3 by default, or
// the Universal Viewer; both read viewingDirection and behavior from the manifest, so
// string-bound books page right to left in spreads. Each is served from its pinned npm package.
import { reloadWhenSignedIn, shareSessionWithViewer } from './iiif-access-cookie.js';

const params = new URLSearchParams(location.search);
const manifest = params.get('manifest');

function load(tag, attributes) {
  return new Promise((resolve, reject) => {
    const node = Object.assign(document.createElement(tag), attributes, { onload: resolve, onerror: reject });
    document.head.append(node);
  });
}

// Staff signed in to guji in this tab see unpublished books; others get the viewer's sign-in prompt.
await shareSessionWithViewer();
reloadWhenSignedIn();

if (params.get('viewer') === 'uv') {
  await Promise.all([load('link', { rel: 'stylesheet', href: '/vendor/uv/uv.css' }), load('script', { src: '/vendor/uv/umd/UV.js' })]);
  document.getElementById('viewer').className = 'uv';
  window.uv = UV.init('viewer', { manifest, embedded: true, locales: [{ name: 'en-GB' }] });
} else {
  await load('script', { src: '/vendor/mirador.min.js' });
  window.miradorInstance = Mirador.viewer({
    id: 'viewer',
    windows: [{ manifestId: manifest, view: 'book' }],
    window: { allowClose: false, allowMaximize: false, defaultSideBarPanel: 'canvas', sideBarOpenByDefault: false },
    workspaceControlPanel: { enabled: false },
  });
}
