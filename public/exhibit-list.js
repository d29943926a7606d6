// @ts-check
// The home page's exhibits (GET /api/exhibits): the published ones with their covers; for staff
// also those in progress, each linking to its editor, and a link to start a new one.
import { api, el, session } from './ui.js';

const section = document.getElementById('exhibits');

async function main() {
  const { data } = await api('/api/exhibits?pageSize=24').catch(() => ({ data: { exhibits: [] } }));
  const list = section.querySelector('ul');
  for (const exhibit of data.exhibits) {
    const cover = exhibit.cover ? exhibit.sections[exhibit.cover.section]?.items[exhibit.cover.item] : exhibit.sections.flatMap((s) => s.items)[0];
    const r = cover?.resolved;
    // Other sites' images are not loaded here (the page's img-src is this site's own).
    const image = !r?.homepage ? null : `${r.service.id}/${r.region ? r.region.join(',') : 'full'}/!400,400/0/default.jpg`;
    const published = exhibit.status === 'published';
    list.append(el('li', {},
      image ? el('img', { src: image, alt: '', loading: 'lazy' }) : null,
      el('a', { href: published ? exhibit.links.page : `/exhibits/${exhibit.slug}/edit`, textContent: exhibit.title }),
      published ? null : el('span', { className: 'muted', textContent: ` (${exhibit.status})` }),
      exhibit.summary ? el('p', { className: 'muted', textContent: exhibit.summary.slice(0, 120) }) : null));
  }
  if (session.user) section.append(el('p', {}, el('a', { href: '/exhibits/new', textContent: '新建展览 · New exhibit' })));
  section.hidden = data.exhibits.length === 0 && !session.user;
}

main();
