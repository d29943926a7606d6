// @ts-check
// The exhibit editor (/exhibits/new, /exhibits/{slug}/edit): the exhibit's fields, its sections
// and their items (a book, a leaf or a region of a leaf, from this catalogue by census number or
// from any IIIF manifest URL), reordered by drag and drop or by Alt+↑/↓; save (If-Match),
// preview as the public page will show it, submit; a reviewer publishes or returns it.
import { api, el, errorText, signedIn, STATUS_LABELS, t } from './ui.js';

const ACTIONS = { submit: '提交审校 · Submit for review', publish: '发布 · Publish', return: '退回 · Return' };
const slugInPath = /^\/exhibits\/([a-z0-9-]+)\/edit$/.exec(location.pathname)?.[1] ?? null;
const message = document.getElementById('message');
const sectionsBox = document.getElementById('sections');
let state = { sections: [{ title: '', text: '', items: [] }] };
let etag = null;
/** The exhibit's own fields in the form, by id: the slug and title inputs, the summary and credits textareas, the licence select. */
const fieldControl = (id) => /** @type {HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement} */ (document.getElementById(id));
const slugInput = /** @type {HTMLInputElement} */ (document.getElementById('slug'));

const say = (text, error = false) => {
  message.className = error ? 'notice error' : 'notice';
  message.textContent = text;
  message.focus();
};

/** One item in the form's terms: `source` is a census number or a manifest URL. */
const itemOf = (i) => ({
  source: i.censusNumber ?? i.manifest ?? '', canvas: i.canvas === undefined ? '' : String(i.canvas), xywh: i.xywh ?? '', caption: i.caption ?? '', credit: i.credit ?? '',
});
/** And back in the API's. */
function itemInput(i) {
  const source = i.source.trim();
  const canvas = i.canvas.trim();
  return {
    ...(/^https?:/i.test(source) ? { manifest: source } : { censusNumber: source }),
    ...(canvas ? { canvas: /^\d+$/.test(canvas) ? Number(canvas) : canvas } : {}),
    ...(i.xywh.trim() ? { xywh: i.xywh.replace(/\s/g, '') } : {}),
    caption: i.caption, credit: i.credit,
  };
}
const input = () => ({
  slug: slugInput.value.trim(),
  title: fieldControl('title').value,
  summary: fieldControl('summary').value,
  credits: fieldControl('credits').value,
  licence: fieldControl('licence').value,
  sections: state.sections.map((s) => ({ title: s.title, text: s.text, items: s.items.map(itemInput) })),
});

function move(list, from, to) {
  const [moved] = list.splice(from, 1);
  list.splice(to, 0, moved);
}

let dragged = null;
function drawSections(focus) {
  sectionsBox.replaceChildren();
  state.sections.forEach((section, s) => {
    const items = el('ol', { className: 'ex-items' });
    section.items.forEach((item, i) => items.append(drawItem(item, s, i)));
    // Dropping on the list's empty end puts the item last.
    items.addEventListener('dragover', (e) => e.preventDefault());
    items.addEventListener('drop', (e) => {
      e.preventDefault();
      if (!dragged || e.target !== items) return;
      const [moved] = state.sections[dragged.s].items.splice(dragged.i, 1);
      section.items.push(moved);
      drawSections();
    });
    const field = (name, label, tag = 'input') => {
      const node = el(tag, { value: section[name], rows: 2 });
      node.dataset.field = `sections.${s}.${name}`;
      node.addEventListener('input', () => { section[name] = node.value; });
      return el('label', {}, label, node);
    };
    const add = el('button', { type: 'button', className: 'secondary', textContent: '添加条目 · Add an item' });
    add.addEventListener('click', () => {
      section.items.push(itemOf({}));
      drawSections({ s, i: section.items.length - 1 });
    });
    const remove = el('button', { type: 'button', className: 'link', textContent: '删除单元 · Remove section' });
    remove.addEventListener('click', () => {
      state.sections.splice(s, 1);
      drawSections();
    });
    sectionsBox.append(el('section', { className: 'ex-section', ariaLabel: `单元 ${s + 1} · Section ${s + 1}` },
      field('title', `单元 ${s + 1} 标题 · Section title`), field('text', '说明 · Text', 'textarea'), items,
      el('p', { className: 'row-actions' }, add, state.sections.length > 1 ? remove : null)));
  });
  if (focus) sectionsBox.querySelectorAll('.ex-section')[focus.s]?.querySelectorAll('.ex-item')[focus.i]?.querySelector(focus.selector ?? 'input')?.focus();
}

function drawItem(item, s, i) {
  const items = state.sections[s].items;
  const li = el('li', { className: 'ex-item', draggable: true, tabIndex: -1 });
  li.dataset.item = `${s}.${i}`;
  const field = (name, label, attrs = {}) => {
    const node = el(attrs.rows ? 'textarea' : 'input', { value: item[name], ...attrs });
    node.dataset.field = `sections.${s}.items.${i}.${name === 'source' ? (/^https?:/i.test(item.source) ? 'manifest' : 'censusNumber') : name}`;
    node.addEventListener('input', () => { item[name] = node.value; });
    return el('label', {}, label, node);
  };
  const button = (text, label, onClick) => {
    const b = el('button', { type: 'button', className: 'secondary', textContent: text, ariaLabel: label });
    b.addEventListener('click', onClick);
    return b;
  };
  const shift = (by, selector) => {
    const to = i + by;
    if (to < 0 || to >= items.length) return;
    move(items, i, to);
    drawSections({ s, i: to, selector });
  };
  li.append(
    el('div', { className: 'handle' }, el('b', { textContent: `⠿ 条目 ${i + 1} · Item ${i + 1}` }),
      button('↑', '上移 Move up', () => shift(-1, 'button[aria-label^="上移"]')),
      button('↓', '下移 Move down', () => shift(1, 'button[aria-label^="下移"]')),
      button('✕', '删除 Remove', () => {
        items.splice(i, 1);
        drawSections();
      })),
    field('source', '书（普查编号）或 IIIF 清单 URL · Census no. or manifest URL', { placeholder: '430000-0001-0000001' }),
    field('canvas', '半叶（第几半叶，空则全书）· Half-leaf (empty: whole book)', { placeholder: '3' }),
    field('xywh', '区域 x,y,w,h · Region', { placeholder: '100,150,300,200' }),
    field('caption', '说明 · Caption', { rows: 2 }),
    field('credit', '来源 · Credit line'),
  );
  // Keyboard: Alt+↑/↓ anywhere in the item moves it.
  li.addEventListener('keydown', (e) => {
    if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    shift(e.key === 'ArrowUp' ? -1 : 1, null);
  });
  li.addEventListener('dragstart', (e) => {
    dragged = { s, i };
    li.classList.add('dragging');
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData('text/plain', `${s}.${i}`);
  });
  li.addEventListener('dragend', () => li.classList.remove('dragging'));
  li.addEventListener('dragover', (e) => {
    e.preventDefault();
    li.classList.add('drop-before');
  });
  li.addEventListener('dragleave', () => li.classList.remove('drop-before'));
  li.addEventListener('drop', (e) => {
    e.preventDefault();
    e.stopPropagation();
    if (!dragged) return;
    const [moved] = state.sections[dragged.s].items.splice(dragged.i, 1);
    // Within one list, taking the item out first moves the later places up by one.
    const at = dragged.s === s && dragged.i < i ? i - 1 : i;
    items.splice(at, 0, moved);
    dragged = null;
    drawSections({ s, i: at, selector: '.handle button' });
  });
  return li;
}

function load(exhibit) {
  for (const key of ['slug', 'title', 'summary', 'credits', 'licence']) fieldControl(key).value = exhibit[key];
  slugInput.readOnly = true;
  state = { sections: exhibit.sections.map((s) => ({ title: s.title, text: s.text, items: s.items.map(itemOf) })) };
  document.getElementById('state').textContent = `状态 · Status: ${t(STATUS_LABELS[exhibit.status] ?? exhibit.status)} · v${exhibit.version} · ${exhibit.links.page}`;
  /** @type {HTMLButtonElement} */ (document.getElementById('preview-button')).disabled = false;
  drawSections();
  const transitions = document.getElementById('transitions');
  transitions.replaceChildren();
  for (const action of exhibit.actions ?? []) {
    if (action === 'edit') continue;
    const b = el('button', { type: 'button', textContent: ACTIONS[action], className: action === 'return' ? 'secondary' : '' });
    b.dataset.action = action;
    b.addEventListener('click', async () => {
      const comment = action === 'return' ? prompt('退回意见 · Why is it returned?') : undefined;
      if (action === 'return' && !comment) return;
      try {
        const { data, etag: next } = await api(`/api/exhibits/${exhibit.slug}/transitions`, { method: 'POST', body: { action, ...(comment ? { comment } : {}) }, ifMatch: etag });
        etag = next;
        load(data);
        say(action === 'publish' ? `已发布 · Published: ${data.links.page}` : `${ACTIONS[action]} ✓`);
      } catch (e) {
        say(errorText(e, exhibitLabel), true);
      }
    });
    transitions.append(b);
  }
  // Those who may not edit it see it, with its actions, but not a save button.
  document.getElementById('save').hidden = !(exhibit.actions ?? []).includes('edit');
}

/** The exhibit's fields as the form labels them, for the keys the API's problems name. */
const EXHIBIT_LABELS = { slug: '地址', title: '标题', summary: '简介', credits: '策展与致谢', licence: '许可', sections: '单元', comment: '退回意见', action: '操作' };
const ITEM_LABELS = { censusNumber: '普查编号', manifest: 'IIIF 清单 URL', canvas: '半叶', xywh: '区域', caption: '说明', credit: '来源' };
/** `sections.0.items.2.canvas` → 单元 1 · 条目 3 · 半叶; a key the form does not show stays as it is. */
function exhibitLabel(field) {
  const [key, s, part, i, itemKey] = field.split('.');
  if (key !== 'sections' || s === undefined) return EXHIBIT_LABELS[key] ?? field;
  const section = `单元 ${Number(s) + 1}`;
  if (part !== 'items') return part === 'title' ? `${section} · 标题` : part === 'text' ? `${section} · 说明` : section;
  const item = `${section} · 条目 ${Number(i) + 1}`;
  return itemKey ? `${item} · ${ITEM_LABELS[itemKey] ?? itemKey}` : item;
}

function markInvalid(details) {
  for (const node of document.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
  for (const { field } of details) document.querySelector(`[data-field="${CSS.escape(field)}"]`)?.setAttribute('aria-invalid', 'true');
}

async function save() {
  const body = input();
  try {
    const slug = slugInput.readOnly ? body.slug : null;
    const { data, etag: next } = slug
      ? await api(`/api/exhibits/${slug}`, { method: 'PUT', body, ifMatch: etag })
      : await api('/api/exhibits', { method: 'POST', body });
    etag = next;
    markInvalid([]);
    if (!slug) history.replaceState(null, '', `/exhibits/${data.slug}/edit`);
    load(data);
    say(`已保存 · Saved (v${data.version})`);
  } catch (e) {
    markInvalid(e.details ?? []);
    say(errorText(e, exhibitLabel), true);
  }
}

async function preview() {
  const box = document.getElementById('preview');
  try {
    // The article as rendered by the server for the public page (its text escaped there).
    const { data } = await api(`/api/exhibits/${slugInput.value}/preview`);
    box.innerHTML = data;
    box.hidden = false;
    box.scrollIntoView();
  } catch (e) {
    say(errorText(e, exhibitLabel), true);
  }
}

async function main() {
  await signedIn();
  document.getElementById('add-section').addEventListener('click', () => {
    state.sections.push({ title: '', text: '', items: [] });
    drawSections();
  });
  document.getElementById('save').addEventListener('click', save);
  document.getElementById('preview-button').addEventListener('click', preview);
  if (slugInPath) {
    try {
      const { data, etag: current } = await api(`/api/exhibits/${slugInPath}`);
      etag = current;
      load(data);
    } catch (e) {
      say(errorText(e, exhibitLabel), true);
    }
  } else drawSections();
}

main();
