// A record's page: every census field as written, what was derived from it, and — once the
// book is digitized — the page viewer (Mirador, right to left), the manifest link and an embed
// snippet.
const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
};
const censusNumber = decodeURIComponent(location.pathname.split('/').pop());
const LABELS = [
  ['censusNumber', '普查编号'], ['callNumber', '索书号'], ['titleStatement', '题名卷数'], ['creatorStatement', '著者'],
  ['editionStatement', '版本'], ['volumeCount', '册数'], ['extant', '存卷'], ['holdingUnit', '收藏单位'], ['classification', '分类'],
  ['grade', '定级'], ['binding', '装帧'], ['layout', '版式行款'], ['notes', '附注'],
];

async function main() {
  const token = sessionStorage.getItem('guji-token');
  const res = await fetch(`/api/records/${encodeURIComponent(censusNumber)}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    document.getElementById('title').textContent = res.status === 404 ? '未找到此登记（或尚未发布）' : `载入出错（HTTP ${res.status}）`;
    return;
  }
  const record = await res.json();
  document.title = `${record.titleStatement} · guji`;
  document.getElementById('title').textContent = record.titleStatement;
  const fields = document.getElementById('fields');
  for (const [key, label] of LABELS) {
    if (record[key] === undefined || record[key] === '') continue;
    fields.append(el('dt', { textContent: label }), el('dd', { textContent: String(record[key]) }));
  }
  const d = record.derived;
  const date = d.edition.date;
  fields.append(
    el('dt', { textContent: '版本类型' }), el('dd', { textContent: [d.edition.type, ...d.edition.subtypes].filter(Boolean).join(' · ') || '—' }),
    el('dt', { textContent: '公元' }), el('dd', { textContent: date?.gregorianFrom != null ? `${date.gregorianFrom}${date.gregorianTo !== date.gregorianFrom ? `–${date.gregorianTo}` : ''}${date.uncertain ? '（存疑）' : ''}` : '—' }),
  );
  if (record.damage) fields.append(el('dt', { textContent: '破损' }), el('dd', { textContent: [record.damage.grade, ...record.damage.types].join(' ') }));

  if (record.pageCount > 0) {
    const manifest = `${location.origin}/iiif/${record.censusNumber}/manifest`;
    document.getElementById('digitized').hidden = false;
    document.getElementById('manifest-link').href = manifest;
    const snippet = `<iframe src="${location.origin}/viewer?manifest=${encodeURIComponent(manifest)}" width="800" height="600" allowfullscreen title="${record.titleStatement.replace(/"/g, '&quot;')}"></iframe>`;
    const embed = document.getElementById('embed');
    embed.value = snippet;
    document.getElementById('copy').addEventListener('click', async () => {
      await navigator.clipboard?.writeText(snippet).catch(() => {});
      embed.select();
    });
    window.miradorInstance = Mirador.viewer({
      id: 'viewer',
      windows: [{ manifestId: manifest, view: 'book' }],
      window: { allowClose: false, allowMaximize: false, sideBarOpenByDefault: false },
      workspaceControlPanel: { enabled: false },
    });
  }
}

main();
