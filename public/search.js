// The search page: reads its state from the URL (so every search can be shared), asks
// GET /api/search, and draws hits with their highlights and the facets with their counts.
const FACETS = [
  ['division', '四部'], ['category', '类'], ['editionType', '版本类型'], ['dynasty', '朝代'], ['century', '世纪'],
  ['unit', '收藏单位'], ['grade', '定级'], ['damageGrade', '破损'], ['digitized', '数字化'], ['status', '审校状态'],
];
const VALUE_LABELS = {
  digitized: { true: '已数字化', false: '未数字化' },
  status: { draft: '草稿', submitted: '已提交', returned: '返修', approved: '已通过', published: '已发布' },
};
const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
};
const params = new URLSearchParams(location.search);
const form = document.getElementById('search');
const input = document.getElementById('q');
input.value = params.get('q') ?? '';

function go(next) {
  next.delete('page');
  location.search = next.toString();
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const next = new URLSearchParams(location.search);
  next.set('q', input.value.trim());
  go(next);
});

async function run() {
  const summary = document.getElementById('summary');
  const hits = document.getElementById('hits');
  const token = sessionStorage.getItem('guji-token');
  let result;
  try {
    const res = await fetch(`/api/search?${params}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    result = await res.json();
    if (!res.ok) throw new Error(result.error?.message ?? `HTTP ${res.status}`);
  } catch (e) {
    summary.textContent = `检索出错：${e.message}`;
    summary.setAttribute('role', 'alert');
    return;
  }
  const q = params.get('q');
  summary.textContent = result.total === 0
    ? (q ? `没有找到与“${q}”相符的古籍。试试更短的词，或去掉筛选。` : '目录中还没有可检索的古籍。')
    : `${q ? `“${q}”：` : ''}共 ${result.total.toLocaleString('zh-CN')} 种`;
  for (const hit of result.hits) {
    const title = el('h2');
    // Highlights come from the server: the text as written, HTML-escaped, with <mark> around matches.
    const link = el('a', { href: `/records/${hit.censusNumber}` });
    link.innerHTML = hit.highlights.titleStatement ?? escapeHtml(hit.titleStatement);
    title.append(link);
    const line = (key, text) => {
      if (!text) return null;
      const p = el('p', { className: 'meta' });
      p.innerHTML = hit.highlights[key] ?? escapeHtml(text);
      return p;
    };
    hits.append(el('li', {},
      title,
      ...[line('creatorStatement', hit.creatorStatement), line('editionStatement', hit.editionStatement)].filter(Boolean),
      el('p', { className: 'meta muted', textContent: `普查编号 ${hit.censusNumber} · ${hit.volumeCount} 册${hit.grade ? ` · ${hit.grade}` : ''}` }),
    ));
  }
  const units = await fetch('/api/units').then((r) => (r.ok ? r.json() : { units: [] })).catch(() => ({ units: [] }));
  VALUE_LABELS.unit = Object.fromEntries(units.units.map((u) => [`${u.province}-${u.code}`, u.name]));
  drawFacets(result.facets);
  drawPager(result);
}

function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function drawFacets(facets) {
  const aside = document.getElementById('facets');
  for (const [key, label] of FACETS) {
    const values = facets[key];
    if (!values || values.length === 0) continue;
    const chosen = new Set((params.get(key) ?? '').split(',').filter(Boolean));
    const set = el('fieldset', {}, el('legend', { textContent: label }));
    for (const { value, count } of values.slice(0, 12)) {
      const box = el('input', { type: 'checkbox', checked: chosen.has(value), name: key, value });
      box.addEventListener('change', () => {
        const next = new URLSearchParams(location.search);
        const now = new Set((next.get(key) ?? '').split(',').filter(Boolean));
        if (box.checked) now.add(value); else now.delete(value);
        if (now.size) next.set(key, [...now].join(',')); else next.delete(key);
        go(next);
      });
      const text = key === 'century' ? `${value} 世纪` : VALUE_LABELS[key]?.[value] ?? value;
      set.append(el('label', {}, el('span', {}, box, ` ${text}`), el('span', { className: 'count', textContent: count.toLocaleString('zh-CN') })));
    }
    aside.append(set);
  }
}

function drawPager({ page, pageSize, total }) {
  const pager = document.getElementById('pager');
  const pages = Math.ceil(total / pageSize);
  if (pages <= 1) return;
  const link = (n, text) => {
    const next = new URLSearchParams(location.search);
    next.set('page', String(n));
    return el('a', { href: `?${next}`, textContent: text });
  };
  if (page > 1) pager.append(link(page - 1, '上一页'));
  pager.append(el('span', { textContent: `第 ${page} / ${pages} 页` }));
  if (page < pages) pager.append(link(page + 1, '下一页'));
}

run();
