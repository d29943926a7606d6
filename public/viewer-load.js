// @ts-check
// Loading the viewers (issue 20's budget): Mirador is 2.3 MB and the Universal Viewer more, so a
// page asks for one only when it shows a book, from the versioned URL the server wrote into the
// page (a `data-…-src` attribute, src/http/static-assets.ts), which is cached for a year.

/** Adds a <script> or <link> to <head>; resolves once it has loaded. */
export function load(tag, attributes) {
  return new Promise((resolve, reject) => {
    const node = Object.assign(document.createElement(tag), attributes, { onload: resolve, onerror: reject });
    document.head.append(node);
  });
}

/** Resolves when `element` comes within a quarter of a screen of the viewport (at once if it is there). */
export function whenNear(element) {
  return new Promise((resolve) => {
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      resolve(undefined);
    }, { rootMargin: '25% 0px' });
    observer.observe(element);
  });
}

/**
 * What every Mirador here is given: its menus in the page's language — simplified Chinese
 * (Mirador's zh-CN), as the site is written in simplified characters (lang="zh-Hans"), or English
 * when the reader switched the site to English — and the buttons for full screen (each window's
 * top bar) and zooming (in, out and back, over the image), which Mirador 3 hides by default.
 */
export function miradorSettings() {
  return {
    language: document.documentElement.lang === 'en' ? 'en' : 'zh-CN',
    workspace: { showZoomControls: true },
    workspaceControlPanel: { enabled: false },
  };
}

/** The `window` settings every Mirador window here shares, with `more` added. */
export function miradorWindow(more) {
  return { allowClose: false, allowMaximize: false, allowFullscreen: true, sideBarOpen: false, ...more };
}
