// @ts-check
// What every page shares: the header (navigation, who is signed in, the language switch), the
// API client that carries the bearer token, translations, and the census fields' labels.
// Plain ES modules and no build step: each page is one small script over the public API.
import { codeMessage } from './messages.js';

export const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return e;
};

export const escapeHtml = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

// ---------------------------------------------------------------------------------------------
// Language: 简体中文 by default, English on request; the choice is remembered on this device.
// Catalogue text (titles, persons, editions) is never translated or converted: it is shown as written.

export const lang = localStorage.getItem('guji-lang') === 'en' ? 'en' : 'zh';

const EN = {
  'guji 古籍普查与数字化': 'guji · census and digitization of Chinese rare books',
  导出检索结果: 'Download these results', '全部 {n} 种（非仅本页），格式：': 'All {n} (not only this page), as:',
  '其中已发布的全部古籍（非仅本页），格式：': 'All the published ones (not only this page), as:',
  检索: 'Search', 普查概况: 'Census overview', 登记: 'Register', 审校: 'Review', 导入: 'Import', 上传影像: 'Upload scans',
  管理: 'Administration', 登录: 'Sign in', 退出: 'Sign out', 主导航: 'Main navigation',
  '题名、著者、版本……（繁简皆可）': 'Title, person, edition… (traditional or simplified)', '检索题名、著者、版本': 'Search titles, persons, editions',
  筛选: 'Filters', 分页: 'Pages', 上一页: 'Previous', 下一页: 'Next', '第 {page} / {pages} 页': 'Page {page} of {pages}',
  '检索出错：{message}': 'Search failed: {message}',
  '没有找到与“{q}”相符的古籍。试试更短的词，或去掉筛选。': 'No books match “{q}”. Try a shorter fragment or remove filters.',
  '目录中还没有可检索的古籍。': 'The catalogue has no searchable books yet.',
  '共 {n} 种': '{n} books', '“{q}”：共 {n} 种': '“{q}”: {n} books',
  '普查编号 {cn} · {n} 册': 'Census no. {cn} · {n} vol.',
  // the search page's controls (index.html, search.js, issue 20)
  检索古籍: 'Search the books', 年代: 'Years', 起: 'from', 止: 'to', '起始年（公元）': 'First year (CE)', '终止年（公元）': 'Last year (CE)',
  排序: 'Order', 相关度: 'Relevance', 年代由早到晚: 'Oldest first', 年代由晚到早: 'Newest first', 已选筛选: 'Filters in force',
  去掉这个筛选: 'Remove this filter', '没有找到符合筛选的古籍。去掉筛选试试。': 'No books match the filters. Try removing one.',
  // search in the books' text (search.js, issue 16)
  跳到检索结果: 'Skip to the results', 检索结果: 'Results', '检索中…': 'Searching…', 检索范围: 'Search in', 著录: 'Catalogue', 全文: 'Full text', 全部: 'Both',
  '正文中没有找到“{q}”。试试更短的词，或去掉筛选；只有已数字化并录入文字的古籍可检索正文。': 'No book’s text holds “{q}”. Try a shorter phrase or remove filters; only digitized books whose text is entered can be searched in the text.',
  '“{q}”：正文中共 {n} 种': '“{q}” in the text: {n} books', '“{q}”：著录与正文中共 {n} 种': '“{q}” in the catalogue and the text: {n} books',
  '没有找到“{q}”，以下为{terms}的结果：共 {n} 种': 'Nothing matches “{q}”; results for {terms}: {n} books',
  '“{q}”按拼音检索：共 {n} 种': '“{q}” read as pinyin: {n} books',
  正文中的匹配: 'Matches in the text', 正文: 'Text', 未经校对: 'not proofread', '此半叶 {n} 处': '{n} on this half-leaf',
  '正文中共 {n} 处，见于 {p} 半叶': '{n} matches in the text, on {p} half-leaves', '正文中另有 {n} 处': '{n} more in the text', 清除全部筛选: 'Clear all filters',
  // The labels of census fields, facets and their values come with GET /api/schema (learn() below).
  '{n} 世纪': '{n}th century', '跨世纪（仅朝代或宽年代）': 'Across centuries (dynasty only or a wide span)',
  公元: 'Western year', '（存疑）': ' (uncertain)', 状态: 'Status',
  '载入中…': 'Loading…', '未找到此登记（或尚未发布）': 'No such record (or not yet published)',
  影像: 'Page images', '影像浏览（自右向左翻页）': 'Page viewer (pages turn right to left)', 'IIIF 清单（manifest）': 'IIIF manifest',
  '可在任何 IIIF 浏览器中打开': 'opens in any IIIF viewer', '嵌入代码（复制到其他网页）': 'Embed code (paste into another web page)',
  复制嵌入代码: 'Copy embed code', '在 Universal Viewer 中打开': 'Open in the Universal Viewer', 已复制: 'Copied', 下载阅览图: 'Download access copies', '第 {n} 半叶': 'Half-leaf {n}', 上一半叶: 'Previous half-leaf', '第 {n} 列': 'Column {n}', 下一半叶: 'Next half-leaf',
  审校与修改记录: 'Review and change history', 编辑: 'Edit', 提交审校: 'Submit for review', 退回返修: 'Return for revision',
  通过: 'Approve', 发布: 'Publish', 撤销发布: 'Withdraw', '撤销发布的理由（必填）': 'Reason for withdrawing (required)', '退回意见（必填）': 'Reason for returning (required)', 意见: 'Comment',
  '{who} · {when}': '{who} · {when}', 创建: 'created', 修改: 'edited', 提交: 'submitted', 退回: 'returned', 发布了: 'published',
  // sign in
  用户名: 'User name', 密码: 'Password', '用户名或密码不对。': 'Wrong user name or password.',
  '尝试次数过多，请稍后再试。': 'Too many attempts; please try again later.',
  // registration and editing
  登记古籍: 'Register a book', '修改登记：{cn}': 'Edit record {cn}', 保存: 'Save', 保存草稿: 'Save draft',
  '请改正标出的 {n} 处。': 'Please correct the {n} marked fields.', '已保存。': 'Saved.',
  '每行一项': 'one per line', '可填多项，以顿号“、”分隔': 'several allowed, separated by “、”',
  '他人已先保存了此登记。请逐项选择保留哪一版，再保存；两边的内容都不会丢失。': 'Someone else saved this record first. Choose, field by field, which version to keep, then save; nothing of either is lost.',
  字段: 'Field', 我的修改: 'My change', 对方已保存: 'Saved by them', 合并后保存: 'Save the merge', '（空）': '(empty)',
  必填: 'required',
  // review
  审校队列: 'Review queue', 待审: 'Awaiting review', 更新时间: 'Updated', 操作: 'Actions', '没有记录。': 'No records.',
  最近意见: 'Latest comment', '确定': 'Confirm', '取消': 'Cancel',
  // import
  导入普查表: 'Import a census sheet', '选择表格（.xlsx 或 .csv）': 'Choose a sheet (.xlsx or .csv)',
  '只检查，不写入（预检）': 'Check only, write nothing (dry run)', 开始: 'Start', 正式导入: 'Import for real',
  '预检结果': 'Dry-run result', '导入结果': 'Import result', 新建: 'created', 更新: 'updated', 未变: 'unchanged', 拒收: 'rejected',
  行: 'Row', 列: 'Column', 问题: 'Problem', '所有行都可导入。': 'Every row can be imported.',
  '下列行未导入；改正后可再次导入同一表格。': 'These rows were not imported; fix them and import the same sheet again.',
  // upload
  上传影像文件: 'Upload page images', '选择影像（TIFF、JPEG、PNG，可多选）': 'Choose images (TIFF, JPEG, PNG; several at once)',
  '第 {n} 行': 'row {n}', 文件: 'File', 进度: 'Progress', 结果: 'Outcome', 上传: 'Upload', 上传中: 'uploading', 处理中: 'processing',
  已入库: 'ingested', 已有: 'already there', 失败: 'failed', '查看此书': 'Open the record',
  分册表与目次表: 'Volume and contents sheets', '分册表（册次、册名、文件）': 'Volume sheet (册次, 册名, 文件)',
  '目次表（层级、题名、著者、册次、起始叶）': 'Table of contents (层级, 题名, 著者, 册次, 起始叶)', 导出分册表: 'Export the volume sheet',
  导出目次表: 'Export the table of contents', '结构已更新。': 'The structure was set.', '结构可以导入。': 'The sheets can be imported.',
  册: 'Volume', 卷: 'Juan', 表: 'Sheet', 目次: 'Contents',
  // administration
  用户: 'Users', 新建用户: 'New user', 角色: 'Role', 单位: 'Unit', 姓名: 'Display name', 创建时间: 'Created',
  普查员: 'surveyor', 审校员: 'reviewer', 管理员: 'admin', 收藏单位列表: 'Holding units', 新建单位: 'New unit',
  导出: 'Export', 古籍普查概况: 'Census overview', 各收藏单位普查进度: 'Census progress by holding unit', 登记数: 'Registered',
  '待修复（破损最重者在前）': 'Conservation worklist (most damaged first)', 暂无: 'None yet', '前 {n} 世纪': '{n}th century BCE',
  已登记: 'Books registered', 影像半叶数: 'Half-leaves imaged', 四部分类: 'Four Branches', 暂无严重破损: 'No serious damage recorded',
  '概况无法载入：': 'The overview could not be loaded: ',
  // server-rendered public pages (src/http/pages)
  人物: 'Persons', 引用: 'Cite', 导出引用: 'Export the citation', 数据: 'Data',
  同书其他藏本与版本: 'Other copies and editions of this work', '目录中还没有已分类的古籍。': 'No classified books in the catalogue yet.',
  '已发布古籍按 部 → 類 → 屬 分列，括注种数；点选即检索。': 'Published books by branch, category and subcategory, with counts; each opens a search.',
  同一作品其他部分: 'Other parts of this work',
  省级代码: 'Province code', 单位代码: 'Unit code', 单位名称: 'Unit name', 添加: 'Add', '已添加。': 'Added.',
  单位网站: 'Unit\'s website', 标志图片网址: 'Logo (image URL)', 'ISIL 或其他标识': 'ISIL or other identifier', '修改单位（IIIF 清单中的提供者）': 'Edit a unit (the provider in IIIF manifests)',
  正常: 'active', 已停用: 'disabled', 停用: 'Disable', 启用: 'Enable', 重置密码: 'Reset password', 新密码: 'New password',
  结束会话: 'End sessions', '已停用 {user}，其会话均已结束。': '{user} is disabled; their sessions have ended.',
  '已启用 {user}。': '{user} is enabled.', '已为 {user} 重置密码，其会话均已结束。': 'The password of {user} is reset; their sessions have ended.',
  '已结束 {user} 的全部会话。': 'All sessions of {user} have ended.',
  // failures and waiting (the API's codes are in messages.js)
  '服务器响应较慢，仍在等待…': 'The server is slow to answer; still waiting…',
  提交审校前必填: 'required to submit for review', '提交审校前必填（草稿可暂缺）': 'required to submit for review (a draft may leave it empty)',
  '* 必填；† 提交审校前必填': '* required; † required to submit for review', 恢复: 'Restore', 丢弃: 'Discard',
  '本机保存有 {at} 未保存的填写内容。': 'This device kept unsaved entries from {at}.',
  '连接中断，正在重试（第 {n} 次）…': 'Connection lost; retrying (attempt {n})…',
  '与服务器的连接中断，无法得知导入结果。导入可能仍在进行：稍后可在此重新导入同一表格，已导入的行会显示为“未变”。': 'The connection to the server was lost; the outcome is unknown. The import may still be running: import the same sheet again later, and rows already imported show as unchanged.',
  跳到正文: 'Skip to content', 联系方式: 'Contact', '已保存 {unit}。': '{unit} is saved.', '已停用 {unit}。': '{unit} is disabled.', '已启用 {unit}。': '{unit} is enabled.',
  导入失败: 'The import failed', 未处理: 'not processed', '未上传：{reason}': 'not sent: {reason}', 值: 'Value',
  我的账户: 'My account', 修改密码: 'Change password', 当前密码: 'Current password', 再次输入新密码: 'New password again',
  退出所有设备: 'Sign out everywhere', '结束此账户在所有浏览器和设备上的登录，包括本页；之后须重新登录。': 'Ends the sign-in of this account on every browser and device, this page included; sign in again afterwards.',
  '密码已修改。此账户在其他浏览器和设备上的登录均已结束，本页仍保持登录。': 'The password is changed. This account is signed out on every other browser and device; this page stays signed in.',
};

/** Between a field's name and its problem. */
export const COLON = lang === 'en' ? ': ' : '：';

/** The interface text for `zh` in the chosen language, with `{name}` filled from `values`. */
export function t(zh, values = {}) {
  const text = lang === 'en' ? EN[zh] ?? zh : zh;
  return text.replace(/\{(\w+)\}/g, (_, k) => String(values[k] ?? ''));
}

// The API explains problems in English (its messages are for programs and their developers too);
// the Chinese interface says the common ones in Chinese and shows the rest as they come.
/** @type {[RegExp, string | ((match: string, ...parts: string[]) => string)][]} */
const PROBLEMS_ZH = [
  [/^is required$/, '必填'],
  [/^must not be blank$/, '不能为空'],
  [/^must be a number$/, '须为数字'],
  // The value as written stays in the message: the surveyor sees what was refused.
  [/^must be a whole number(?: \(18 or 十八\))?, not (.+)$/, '须为整数（如 18 或 十八），所填为 $1'],
  [/^must be a whole number$/, '须为整数'],
  [/^must be at least (\d+) characters$/, '至少 $1 个字符'],
  [/^must be at most (\d+) characters$/, '至多 $1 个字符'],
  [/^must not contain the user name$/, '不能包含用户名'],
  [/^must not contain the name of the service \((.+)\)$/, '不能包含本系统的名称（$1）'],
  [/^is too simple: the same characters repeated$/, '过于简单：同样的字符反复出现'],
  [/^is too simple: a sequence of characters.*$/, '过于简单：连续的字符（如 abcdef、123456）'],
  [/^is too simple: fewer than 4 different characters$/, '过于简单：不同的字符少于 4 个'],
  [/^is a commonly used password.*$/, '是常见密码（见于泄露的密码列表），请另选一个'],
  [/^is not the current password$/, '不是当前的密码'],
  [/^must repeat the new password$/, '与新密码不一致'],
  [/^an admin cannot disable their own account$/, '管理员不能停用自己的账户'],
  [/^an admin cannot change their own role$/, '管理员不能更改自己的角色'],
  [/^is required for a surveyor$/, '普查员须属于某一收藏单位'],
  [/^only surveyors belong to a unit$/, '只有普查员属于收藏单位'],
  [/^no collecting unit (.+) is registered$/, '没有单位代码为 $1 的收藏单位'],
  [/^must be at least (\d+), not (.+)$/, '不能小于 $1（所填为 $2）'],
  [/^must be at least (\d+)$/, '不能小于 $1'],
  [/^must be one of (.+)$/, '须为以下之一：$1'],
  [/^is not a known field$/, '不是已知字段'],
  [/^already exists$/, '已存在'],
  [/^must have the form PPPPPP-UUUU-NNNNNNN.*$/, '格式应为 省级代码-单位代码-七位顺序号，如 430000-0001-0000017'],
  [/^must be the 4-digit unit code.*$/, '须为四位单位代码（普查编号的第二段）'],
  [/^must be the unit part of the census number \((\d+)\), not (.+)$/, '须与普查编号中的单位代码（$1）一致，而不是 $2'],
  [/^no collecting unit (\d+) is registered in province (\d+).*$/, '省级代码 $2 下没有单位代码为 $1 的收藏单位'],
  [/^is required to submit \((.+)\)$/, '提交审校前须填写（$1）'],
  [/^is required to return a record$/, '退回时须写明意见'],
  [/^repeats the census number of row (\d+)$/, '与第 $1 行的普查编号重复'],
  [/^must begin with a 四部 division: (.+)$/, '须以四部之一开头：$1'],
  [/^required heading missing$/, '缺少必需的列'],
  [/^names no page of the record: (.+)$/, '本书没有此页：$1'],
  [/^every page must be in a 册; not in any: (.+)$/, '每一页都须归入某一册，未归入的有：$1'],
  [/^the range (.+) runs backwards$/, '范围 $1 首尾颠倒'],
  [/^repeats 册次 (\d+)$/, '册次 $1 重复'],
  [/^begins before the entry of row (\d+) ends.*$/, '起始于第 $1 行条目之前（条目须按阅读顺序、由外到内排列）'],
  // An upload's outcome for one file (src/services/scan-service.ts, the image adapter).
  [/^not an image we can read.*$/, '不是可读取的影像（文件不是图像，或已损坏）'],
  [/^the image could not be decoded.*$/, '影像无法解码（文件已损坏或不完整）'],
  [/^(\d+)×(\d+) pixels exceed the limit of (.+)$/, '$1×$2 像素，超过上限 $3'],
  [/^larger than the limit of (\d+) MiB$/, '超过 $1 MiB 的上限'],
  [/^the file is empty \(0 bytes\)$/, '文件为空（0 字节）'],
  [/^already page (\d+)$/, '已是第 $1 半叶'],
  [/^the same image as page (\d+) \((.+)\)$/, '与第 $1 半叶（$2）为同一影像'],
  [/^not ingested: the service stopped.*$/, '未入库：服务器停机，请重新上传此文件'],
  // Every other problem the services name a field with (issue 20: no English in the Chinese
  // interface). test/browser/staff-failures.test.ts reads each `problem:` of src/ and fails when
  // one is not said here; a later entry is reached only when no earlier one matched.
  [/^must be 4 digits$/, '须为四位数字'],
  [/^must not be 0000$/, '不能为 0000'],
  [/^must be a GB\/T 2260 province-level code such as (\d+)$/, '须为 GB/T 2260 省级行政区划代码，如 $1'],
  [/^must be (\d+)–(\d+) letters, digits, dots, underscores or hyphens.*$/, '须为 $1–$2 个字母、数字、点、下划线或连字符'],
  [/^must be (\d+) to (\d+) characters$/, '须为 $1 至 $2 个字符'],
  [/^more than (\d+) characters$/, '超过 $1 字'],
  [/^must be an http\(s\) URL$/, '须为以 http:// 或 https:// 开头的网址'],
  [/^must be the 5-digit number of the 国家珍贵古籍名录$/, '须为《国家珍贵古籍名录》的五位编号'],
  [/^must stay (.+); a census number never changes$/, '须仍为 $1：普查编号登记后不能更改'],
  [/^must stay (.+); an exhibit's address never changes$/, '须仍为 $1：展览地址确定后不能更改'],
  [/^must be lower-case letters and digits joined by hyphens$/, '须为小写字母和数字，以连字符“-”相连'],
  [/^not allowed from status (.+)$/, (_, status) => `当前状态（${t(STATUS_LABELS[status] ?? status)}）下不能这样处理`],
  [/^is required to return an exhibit$/, '退回时须写明意见'],
  [/^is required to \w+ a record$/, '须写明意见'],
  [/^is required: the phrase to find$/, '请填写要检索的词句'],
  [/^must not be empty: leave an empty column out$/, '不能为空：空列请删去'],
  [/^must not be empty$/, '不能为空'],
  [/^the sheet is empty$/, '表格是空的'],
  [/^is a date cell.*$/, '是日期格式的单元格；普查栏目均为文字，请把此列设为“文本”格式'],
  [/^is a formula \((.+)\); enter the value itself$/, '是公式（$1），请直接填写其值'],
  [/^is listed twice$/, '重复列出'],
  [/^must be a level from (\d+) to (\d+), not (.+)$/, '层级须为 $1 至 $2，所填为 $3'],
  [/^must be a whole number from (\d+), not (.+)$/, '须为不小于 $1 的整数，所填为 $2'],
  [/^must be deeper than the heading before it.*$/, '层级须深于同一页上前一条目（由外到内排列）'],
  [/^(.+) is already in the 册 of row (\d+)$/, '$1 已归入第 $2 行的册'],
  [/^must list every page; missing (.+)$/, (_, pages) => `须列出每一页，缺少：${pages.replace(/page (\d+)/g, '第 $1 页')}`],
  [/^only one page is where the book opens$/, '只能有一页标为开卷之页'],
  [/^must be a page's place in the book, from 1$/, '须为此页在书中的次序（从 1 起）'],
  [/^must be a page number from 1$/, '须为页码（从 1 起）'],
  [/^must be a number from (\S+) to (\S+)$/, '须为 $1 至 $2 之间的数'],
  [/^must lie inside the page \((\d+) × (\d+)\)$/, '须在页面范围之内（$1 × $2）'],
  [/^must be a page's image id \(SHA-256\)$/, '须为某一页影像的标识（SHA-256）'],
  [/^must be x,y,w,h in whole pixels.*$/, '须为 x,y,w,h（整数像素，宽与高大于 0）'],
  [/^must be its characters joined$/, '须与其各字连起来相同'],
  [/^is required for a column the page did not have$/, '此页原无此行，须填写'],
  [/^is not a page of (.+)$/, '不是 $1 的一页'],
  [/^is on more than (\d+) pages: add characters$/, '见于 $1 页以上，请多加几个字'],
  [/^is longer than ([\d,]+) characters.*$/, '超过 $1 字，请按册或按卷分别提交'],
  [/^at most (\d+) characters a page.*$/, '每页至多 $1 字'],
  [/^has no characters to align.*$/, '没有可对齐的文字（只有标点、数字或空格）'],
  [/^the record has no scanned pages.*$/, '此书尚无影像'],
  [/^no OCR text$/, '尚无文字识别（OCR）结果'],
  [/^nested more than (\d+) levels.*$/, '层级超过 $1 层'],
  [/^(.+) has no leaf (.+)$/, '$1 没有第 $2 半叶'],
  [/^(.+) has no scanned leaves$/, '$1 尚无影像'],
  [/^(.+) is not a published record of this catalogue$/, '$1 不是本目录中已发布的登记'],
  [/^(.+) reaches outside the leaf, which is (\d+)×(\d+) px$/, '区域 $1 超出了此半叶（$2×$3 像素）'],
  [/^an exhibit draws on at most (\d+) other sites' manifests$/, '一个展览至多引用 $1 个外站的 IIIF 清单'],
  [/^hold (\d+) items; an exhibit holds at most (\d+)$/, '共 $1 个条目，一个展览至多 $2 个'],
  [/^is not a IIIF manifest with images on its canvases$/, '不是带有影像的 IIIF 清单'],
  [/^is not a canvas of the manifest$/, '不是此清单中的一个半叶（canvas）'],
  // A page's outcome in an OCR run (src/services/text-service.ts).
  [/^the page's text is (\w+): OCR writes only.*$/, (_, status) => `此页文字已是“${t(({ aligned: '已对齐', proofread: '已校对', verified: '已审定' })[status] ?? status)}”，文字识别（OCR）只写入尚无文字或仅有机器识别稿的页`],
  [/^the master image is missing \((.+)\)$/, '此页的原始影像缺失（请管理员运行 $1）'],
  [/^the same text as before$/, '与原有文字相同'],
  [/^the text was changed by someone while the page was read$/, '识别期间他人改动了此页文字，保留其改动'],
  [/^cannot read .+ as an image: .*$/, '无法作为影像读取（文件已损坏或不是图像）'],
  // The remote site's or the decoder's own words would be English: the sentence is enough.
  [/^could not be read: .*$/, '无法读取（对方网站没有给出可用的 IIIF 清单，或文件已损坏）'],
  // zod's own sentences, for limits declared without one (src/domain/validation.ts).
  [/^must be an? (string|list|object|boolean)$/, (_, kind) => ({ string: '须为文字', list: '须为列表', object: '须为一组栏目', boolean: '须为“是”或“否”' })[kind]],
  [/^Too big: expected \w+ to have <=?(\d+) (\w+)$/, (_, n, unit) => (unit === 'characters' ? `至多 ${n} 个字符` : `至多 ${n} 项`)],
  [/^Too small: expected \w+ to have >=?(\d+) (\w+)$/, (_, n, unit) => (n === '1' ? '不能为空' : unit === 'characters' ? `至少 ${n} 个字符` : `至少 ${n} 项`)],
  [/^Too big: expected \w+ to be <=?(\S+)$/, '不能大于 $1'],
  [/^Too small: expected \w+ to be >=?(\S+)$/, '不能小于 $1'],
  [/^Invalid option: expected one of (.+)$/, (_, list) => `须为以下之一：${list.replaceAll('"', '').split('|').join('、')}`],
  [/^Invalid (?:URL|url)$/, '须为网址'],
  [/^Invalid email address$/, '须为电子邮件地址'],
  [/^Invalid string: must match pattern .*$/, '格式不对'],
  [/^Invalid (?:input|value|key).*$/, '所填的值不对'],
  [/^Unrecognized keys?: (.+)$/, '不是已知字段：$1'],
];

/** A field problem from the API, in the interface's language where we know how to say it. */
export function problemText(problem) {
  if (lang === 'en') return problem;
  const match = PROBLEMS_ZH.find(([pattern]) => pattern.test(problem));
  if (match) return problem.replace(match[0], /** @type {string} */ (match[1]));
  // One no entry says yet (a test fails for those the services write): said as a problem in
  // Chinese, its English kept for whoever reports it. Text already in Chinese passes as it is.
  return /^[A-Za-z]/.test(problem) ? `填写不符合要求（${problem}）` : problem;
}

/** Translates the static text of a page: elements marked data-i18n, and marked attributes. */
function translateStatic() {
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-Hans';
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.textContent.trim());
  for (const attr of ['placeholder', 'aria-label', 'title']) {
    for (const node of document.querySelectorAll(`[data-i18n-${attr}]`)) node.setAttribute(attr, t(node.getAttribute(attr)));
  }
  const [name, ...rest] = document.title.split(' · ');
  document.title = [t(name), ...rest].join(' · ');
}

/**
 * Lets a table become cards on a phone (table.stacked in site.css): each cell is labelled with
 * its column's heading. The first column (what the row is) and the last (its actions) need none.
 */
export function stackOnPhones(table) {
  table.classList.add('stacked');
  const headings = [...table.querySelectorAll('thead th')].map((th) => th.textContent);
  for (const row of table.querySelectorAll('tbody tr')) {
    [...row.children].forEach((td, i) => {
      if (i > 0 && i < headings.length - 1 && td.textContent) td.dataset.label = headings[i];
    });
  }
}

export const number = (n) => n.toLocaleString(lang === 'en' ? 'en' : 'zh-CN');
export const when = (iso) => new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { dateStyle: 'medium', timeStyle: 'short' });

// ---------------------------------------------------------------------------------------------
// Session: the bearer token lives in localStorage, so every tab of this site shares one sign-in
// (a record opened from the review queue in a new tab is signed in). It is sent as an
// Authorization header, never as a cookie, so another site cannot make the browser use it:
// no cross-site request forgery to guard against. Signing out in one tab signs out the others
// (the storage event below); the token still ends when the server's session does.

const KEYS = ['guji-token', 'guji-user', 'guji-actions'];

export const session = {
  get token() {
    return localStorage.getItem('guji-token');
  },
  get user() {
    return JSON.parse(localStorage.getItem('guji-user') ?? 'null');
  },
  /** What the API says this user may do somewhere (src/domain/permissions.ts): pages offer only those. */
  get actions() {
    return JSON.parse(localStorage.getItem('guji-actions') ?? '[]');
  },
  save({ token, user, actions }) {
    localStorage.setItem('guji-token', token);
    localStorage.setItem('guji-user', JSON.stringify(user));
    localStorage.setItem('guji-actions', JSON.stringify(actions ?? []));
  },
  clear() {
    for (const key of KEYS) localStorage.removeItem(key);
  },
};

// Another tab signed in or out: this one follows, so it never acts under a session that is gone.
addEventListener('storage', (event) => {
  if (event.key !== 'guji-token' && event.key !== null) return;
  if (!session.token && staffPage) {
    location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
  } else {
    location.reload();
  }
});

/** An error of the API (or of reaching it): `code` is stable, `message` is said in the interface's language. */
export class ApiError extends Error {
  constructor(status, error) {
    const code = error?.code ?? (status === 0 ? 'network_down' : status >= 500 ? 'server_error' : 'http_error');
    super(codeMessage(code, status, lang));
    this.status = status;
    this.code = code;
    /** The API's own sentence, for developers (kept out of the interface). */
    this.apiMessage = error?.message ?? null;
    this.details = Array.isArray(error?.details) ? error.details : [];
  }
}

// One status line on every page says what the pages' requests are waiting for: a slow answer is
// said after a moment, a lost connection at once; neither is ever silent.
const SLOW_MS = 2500;
let pending = 0;
let slowTimer = null;
function netStatus() {
  let region = document.getElementById('net-status');
  if (!region) {
    region = el('p', { id: 'net-status', className: 'net-status', role: 'status', hidden: true });
    region.setAttribute('aria-live', 'polite');
    (document.querySelector('main') ?? document.body).prepend(region);
  }
  return region;
}
function say(text, kind) {
  const region = netStatus();
  region.hidden = !text;
  region.dataset.kind = kind ?? '';
  region.textContent = text;
}
function started() {
  pending += 1;
  slowTimer ??= setTimeout(() => say(t('服务器响应较慢，仍在等待…'), 'slow'), SLOW_MS);
}
function ended(failedToConnect) {
  pending -= 1;
  if (failedToConnect) say(codeMessage('network_down', 0, lang), 'down');
  else if (netStatus().dataset.kind !== 'down' || pending === 0) say('', '');
  if (pending === 0) {
    clearTimeout(slowTimer);
    slowTimer = null;
  }
}

/** fetch, with the page's status line told; a connection that fails throws ApiError `network_down`. */
export async function request(path, init) {
  started();
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    ended(true);
    throw new ApiError(0, null);
  }
  ended(false);
  return res;
}

/**
 * Tells the page's status line about a request made without request() — an upload through
 * XMLHttpRequest, for its progress: a slow answer is said there too, and a lost connection.
 * @template T
 * @param {Promise<T>} promise
 * @returns {Promise<T>}
 */
export async function waitingFor(promise) {
  started();
  try {
    const value = await promise;
    ended(false);
    return value;
  } catch (e) {
    ended(e instanceof ApiError && e.code === 'network_down');
    throw e;
  }
}

/**
 * Calls the API with the session's token: `{ data, etag }`, or throws ApiError with the API's error.
 * @param {string} path
 * @param {{ method?: string, body?: unknown, form?: FormData, ifMatch?: string, prefer?: string }} [options]
 */
export async function api(path, { method = 'GET', body, form, ifMatch, prefer } = {}) {
  const headers = {};
  if (prefer) headers.prefer = prefer;
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  if (ifMatch) headers['if-match'] = ifMatch;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await request(path, { method, headers, body: form ?? (body === undefined ? undefined : JSON.stringify(body)) });
  if (res.status === 401 && session.token) {
    // The session expired or was ended elsewhere: sign in again.
    session.clear();
    location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
  }
  const type = res.headers.get('content-type') ?? '';
  // A proxy's error page or a cut-off answer is not the API's JSON: the status says enough.
  const data = res.status === 204 ? null : type.includes('json') ? await res.json().catch(() => null) : await res.text().catch(() => '');
  if (!res.ok) throw new ApiError(res.status, data?.error);
  return { data, etag: res.headers.get('etag') };
}

/** Downloads what the API serves to this session (a plain link would not carry the token). */
export async function download(path, filename) {
  const res = await request(path, { headers: session.token ? { authorization: `Bearer ${session.token}` } : {} });
  if (!res.ok) throw new ApiError(res.status, (await res.json().catch(() => ({}))).error);
  const url = URL.createObjectURL(await res.blob());
  el('a', { href: url, download: filename }).click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * An API error in one line: the code's sentence, then each field's problem; `label` names a
 * field (a census field's label by default; a page with fields of its own gives its own).
 */
export const errorText = (e, label = fieldLabel) => [e.message, ...(e.details ?? []).map((d) => `${label(d.field)}${COLON}${problemText(d.problem)}`)].join(' ');

/** Shows what was done in a page's status element (the counterpart of showError). */
export function showNotice(target, text) {
  target.hidden = false;
  target.className = 'notice';
  target.setAttribute('role', 'status');
  target.textContent = text;
}

/**
 * Shows an error in a page's status element: the code's sentence, then each field at fault, named
 * by `labels` (a page's own fields) or as a census field.
 */
export function showError(target, error, labels = {}) {
  target.hidden = false;
  target.className = 'notice error';
  target.setAttribute('role', 'alert');
  const problems = (error.details ?? []).map((d) => el('li', { textContent: `${d.field ? `${labels[d.field] ?? fieldLabel(d.field)}${COLON}` : ''}${problemText(d.problem)}` }));
  target.replaceChildren(el('span', { textContent: error.message }), problems.length ? el('ul', {}, ...problems) : '');
}

/**
 * Staff pages send anonymous visitors to the sign-in page first: `await signedIn()` gives the
 * user, or never settles while the browser leaves for /login (so the page's script goes no further).
 */
let staffPage = false;
export function signedIn() {
  staffPage = true;
  if (session.user) return Promise.resolve(session.user);
  location.replace(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
  return new Promise(() => {});
}

// ---------------------------------------------------------------------------------------------
// The census fields and the search facets, as the service declares them (GET /api/schema, from
// src/domain/census-record.ts CENSUS_FIELDS and src/domain/facets.ts FACET_TABLE): the form, the
// record page and the facet lists are drawn from them, and their labels translated through t().

const NO_SCHEMA = { fields: [], facets: [], readOnlyKeys: [] };
const schema = await fetch('/api/schema').then((r) => (r.ok ? r.json() : NO_SCHEMA)).catch(() => NO_SCHEMA);

/** Registers a label's English for t(); gives its Chinese, the key the pages translate by. */
const learn = (label) => {
  if (!label) return undefined;
  EN[label.zh] = label.en;
  return label.zh;
};

/** The fields of the census form, in its order: `{ key, label, required, kind, vocabulary, hint, options: [[value, label]] }`. */
export const FIELDS = schema.fields.map((f) => ({ ...f, label: learn(f.label) })).filter((f) => f.form).map(({ key, label, required, form }) => ({
  key, label, required, kind: form.kind, vocabulary: form.vocabulary, hint: learn(form.hint),
  options: form.options?.map((o) => [o.value, learn(o.label)]),
}));

/** Every field's label by key, parts (damage.grade) and keys edited through them (damage) alike. */
const FIELD_LABELS = new Map(schema.fields.map((f) => [f.key, f.label.zh]));

/** Keys of a record the service writes itself (derived, status, pageCount, cover …): not edited. */
export const READ_ONLY_KEYS = schema.readOnlyKeys;

/** The facets search counts or filters by, in order: `{ name, label, counted, valueLabels: {value: label} }`. */
export const FACETS = schema.facets.map((f) => ({
  ...f, label: learn(f.label), valueLabels: Object.fromEntries(Object.entries(f.valueLabels).map(([value, label]) => [value, learn(label)])),
}));

/** The form field a problem or change names: `damage.types.0` → 破损类型, `damage` → 破损级别. */
export const fieldFor = (key) =>
  FIELDS.find((f) => key === f.key || key.startsWith(`${f.key}.`)) ?? FIELDS.find((f) => f.key.startsWith(`${key}.`));

/** A field's label for a key a problem or change names; keys not in the form (annotations.0.person) by their field. */
export const fieldLabel = (key) => {
  const label = fieldFor(key)?.label ?? FIELD_LABELS.get(key.split('.')[0]);
  return label ? t(label) : key;
};


/** A century facet value: 16, -1 (BCE), or `span` for a date no single century holds (清 alone, 明末清初). */
export const centuryLabel = (v) =>
  v === 'span' ? t('跨世纪（仅朝代或宽年代）') : Number(v) > 0 ? t('{n} 世纪', { n: v }) : t('前 {n} 世纪', { n: -v });

/** The workflow statuses' labels (the status facet's values). */
export const STATUS_LABELS = FACETS.find((f) => f.name === 'status')?.valueLabels ?? {};

// ---------------------------------------------------------------------------------------------
// The header every page shows.

function drawHeader() {
  const header = document.querySelector('header.top');
  if (!header) return;
  const user = session.user;
  // The links anyone may follow are those the server wrote into the header
  // (src/http/pages/site-layout.ts), the catalogue's pages then its data (`data-nav="data"`);
  // the pages a role offers go between. Each link keeps its group, should the header be redrawn.
  const served = [...header.querySelectorAll('nav a:not([data-nav="staff"])')].map((a) => [a.getAttribute('href'), a.textContent ?? '', a.getAttribute('data-nav')]);
  const staff = [];
  if (user) {
    const may = new Set(session.actions);
    if (may.has('register')) staff.push(['/register', '登记', 'staff']);
    if (may.has('uploadScans')) staff.push(['/upload', '上传影像', 'staff']);
    // An import registers and edits records: offered to those who register them.
    if (may.has('register')) staff.push(['/import', '导入', 'staff']);
    staff.push(['/review', '审校', 'staff']);
    if (may.has('manageUsers')) staff.push(['/admin', '管理', 'staff']);
  }
  const data = served.findIndex(([, , group]) => group === 'data');
  const at = data === -1 ? served.length : data;
  const nav = el('nav', { ariaLabel: t('主导航') });
  for (const [href, label, group] of [...served.slice(0, at), ...staff, ...served.slice(at)]) {
    const a = el('a', { href, textContent: t(label) });
    if (group) a.dataset.nav = group;
    if (location.pathname === href) a.setAttribute('aria-current', 'page');
    nav.append(a);
  }
  const account = el('div', { className: 'account' });
  if (user) {
    const out = el('button', { type: 'button', className: 'link', textContent: t('退出') });
    out.addEventListener('click', async () => {
      await api('/api/session', { method: 'DELETE' }).catch(() => {});
      session.clear();
      location.assign('/');
    });
    // Who is signed in, linked to their own account (password, sessions).
    const who = el('a', { className: 'who', href: '/account', title: t('我的账户'), textContent: `${user.displayName ?? user.username} · ${t({ surveyor: '普查员', reviewer: '审校员', admin: '管理员' }[user.role])}` });
    if (location.pathname === '/account') who.setAttribute('aria-current', 'page');
    account.append(who, out);
  } else {
    account.append(el('a', { href: `/login?next=${encodeURIComponent(location.pathname + location.search)}`, textContent: t('登录') }));
  }
  const switcher = el('button', { type: 'button', className: 'link', lang: lang === 'en' ? 'zh-Hans' : 'en', textContent: lang === 'en' ? '中文' : 'English' });
  switcher.addEventListener('click', () => {
    localStorage.setItem('guji-lang', lang === 'en' ? 'zh' : 'en');
    location.reload();
  });
  account.append(switcher);
  // The skip link before the header comes with it from the server (src/http/pages/site-layout.ts).
  header.replaceChildren(el('a', { className: 'brand', href: '/', textContent: t('guji 古籍普查与数字化') }), nav, account);
}

translateStatic();
drawHeader();
