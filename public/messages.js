// @ts-check
// What each refusal of the API means, said to the person at the screen. The API's `code` is
// stable (src/domain/errors.ts, docs/API.md) while its English `message` is written for
// developers, so the pages translate the code, never the sentence. The codes after `network_down`
// are the browser's own: no answer at all, or an answer that is not the API's JSON.
// Each entry: [简体中文, English].

export const CODE_MESSAGES = {
  validation_failed: ['有些栏目填写得不对，请按下面的说明改正。', 'Some fields are not right; correct them as shown below.'],
  invalid_transition: ['此登记现在还不能这样处理，请看下面的说明。', 'The record cannot take this step yet; see below.'],
  unauthenticated: ['请先登录。', 'Please sign in first.'],
  forbidden: ['您的账户无权进行此操作。', 'Your account may not do this.'],
  reviewer_required: ['此书已发布，其影像与结构须由审校员或管理员修改。', 'The book is published: a reviewer or an admin changes its scans and structure.'],
  not_found: ['未找到（可能尚未登记，或您无权查看）。', 'Not found (not registered yet, or not yours to see).'],
  already_exists: ['已存在，不能重复添加。', 'It already exists.'],
  version_mismatch: ['他人已先保存了此登记，请重新载入后再改。', 'Someone else saved this first; load it again and redo your change.'],
  if_match_required: ['此修改须基于最新的版本，请重新载入后再改。', 'Load the latest version before changing it.'],
  rate_limited: ['尝试次数过多，请稍后再试。', 'Too many attempts; please try again later.'],
  overloaded: ['服务器正忙，请稍后再试。', 'The server is busy; please try again shortly.'],
  service_stopping: ['服务器正在停机维护，请稍后再试。', 'The server is stopping for maintenance; please try again later.'],
  storage_full: ['服务器存储空间已满，未写入任何内容；已通知管理员。', 'The server has no room left; nothing was written. The operator has been told.'],
  storage_unavailable: ['服务器暂时无法读写存储，未写入任何内容，请稍后再试。', 'The server cannot reach its storage just now; nothing was written.'],
  file_too_large: ['文件超过了允许的大小。', 'The file is larger than allowed.'],
  upload_too_large: ['上传的内容超过了允许的大小。', 'The upload is larger than allowed.'],
  body_too_large: ['提交的内容过大。', 'What was sent is too large.'],
  bad_upload: ['上传的文件无法读取，请重新选择后再传。', 'The upload could not be read; choose the files again.'],
  unsupported_format: ['只接受 .xlsx 或 .csv 表格。', 'Send an .xlsx or a .csv sheet.'],
  no_file: ['请先选择文件。', 'Choose a file first.'],
  no_files: ['请先选择影像文件。', 'Choose image files first.'],
  unreadable_sheet: ['表格无法读取：不是 .xlsx 或 .csv，或文件已损坏。', 'The sheet cannot be read: not .xlsx or .csv, or damaged.'],
  sheet_too_large: ['表格超出了可读取的范围，请拆分后再导入。', 'The sheet is larger than the service reads; split it.'],
  missing_headings: ['表格缺少必需的列。', 'The sheet lacks required headings.'],
  unusable_image: ['不是可用的影像（无法读取、已损坏或像素过多）。', 'Not a usable image (unreadable, damaged or too many pixels).'],
  unreadable_image: ['影像无法读取（已损坏或像素过多）。', 'The image cannot be read (damaged or too many pixels).'],
  bad_image_request: ['影像请求无效。', 'The image request is not valid.'],
  image_format_not_served: ['本站不提供此格式的影像，请改用 jpg、png 或 webp。', 'This image format is not served here: ask for jpg, png or webp.'],
  invalid_token_request: ['影像查看器的令牌请求无效。', 'The viewer\'s token request is not valid.'],
  // An exhibit's item that cannot be shown (src/services/exhibit-service.ts, 422): the field's problem says which.
  record_not_published: ['条目中的书不是本目录中已发布的登记，请核对普查编号。', 'An item\'s book is not a published record of this catalogue; check the census number.'],
  record_not_digitized: ['条目中的书尚无影像，不能展出。', 'An item\'s book has no scans to show.'],
  manifest_unreachable: ['条目的 IIIF 清单无法读取，请核对网址。', 'An item\'s IIIF manifest cannot be read; check the URL.'],
  manifest_invalid: ['条目的网址不是带有影像的 IIIF 清单。', 'An item\'s URL is not a IIIF manifest with images.'],
  too_many_manifests: ['引用外站的 IIIF 清单过多。', 'The exhibit draws on too many other sites\' manifests.'],
  canvas_not_found: ['条目所指的叶不存在。', 'An item names a leaf that does not exist.'],
  region_outside_image: ['条目的区域超出了该叶。', 'An item\'s region reaches outside its leaf.'],
  volume_too_large: ['文字过多，请按册或按卷分别校对。', 'Too much text; align a volume or a juan at a time.'],
  ocr_draft_missing: ['这些页还没有文字识别（OCR）的初稿。', 'These pages have no OCR draft yet.'],
  invalid_json: ['提交的内容格式不对。', 'What was sent is not valid JSON.'],
  json_too_deep: ['提交的内容层级过深。', 'What was sent is nested too deeply.'],
  bad_request: ['请求无效。', 'The request is not valid.'],
  search_unavailable: ['检索服务暂时不可用，请稍后再试。', 'Search is unavailable just now; please try again later.'],
  interrupted: ['服务器停机，处理中断；已处理的部分已保存，请再试一次。', 'The server stopped; the work was interrupted. What was done is kept; try again.'],
  internal: ['服务器出错，已记录；请稍后再试。', 'Something went wrong on the server; it has been logged. Please try again later.'],
  network_down: ['无法连接服务器：请检查网络后再试。您填写的内容仍在本页。', 'Cannot reach the server: check the connection and try again. What you entered is still here.'],
  server_error: ['服务器出错（HTTP {status}），请稍后再试。', 'The server failed (HTTP {status}); please try again later.'],
  http_error: ['请求未成功（HTTP {status}）。', 'The request failed (HTTP {status}).'],
};

/** The sentence for an API error code, in `lang`; an unknown code falls back to its HTTP status. */
export function codeMessage(code, status, lang) {
  const entry = CODE_MESSAGES[code] ?? (status >= 500 ? CODE_MESSAGES.server_error : CODE_MESSAGES.http_error);
  return entry[lang === 'en' ? 1 : 0].replace('{status}', String(status));
}
