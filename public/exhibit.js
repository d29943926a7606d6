// @ts-check
// An exhibit's page: a reader who clicks an item's image zooms into it in place, in the
// embeddable viewer opened on that leaf or region; without this script the link opens it.
for (const link of /** @type {NodeListOf<HTMLAnchorElement>} */ (document.querySelectorAll('a.zoom[data-viewer]'))) {
  link.addEventListener('click', (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    const box = document.createElement('div');
    box.className = 'zoomed';
    const frame = Object.assign(document.createElement('iframe'), { src: link.dataset.viewer, title: link.querySelector('img')?.alt ?? '', allowFullscreen: true });
    const close = Object.assign(document.createElement('button'), { type: 'button', textContent: '收起 · Close' });
    close.addEventListener('click', () => {
      box.replaceWith(link);
      link.focus();
    });
    box.append(frame, close);
    link.replaceWith(box);
    close.focus();
  });
}
