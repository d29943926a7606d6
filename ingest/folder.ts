/**
 * A folder of scans as a batch: every image file in it, in natural file-name order — or, when
 * the folder has a pages.csv, in the order of its rows, with each row's 册, 卷 and leaf label
 * (`file,册,卷,叶`, or the English headings `file,volume,juan,label`).
 */
import { existsSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { byFileName, type IncomingScan } from '../src/services/scan-service.js';

const IMAGE = /\.(tiff?|jpe?g|png|webp|jp2|gif)$/i;

export interface FolderBatch {
  files: IncomingScan[];
  /** True when pages.csv fixed the order. */
  ordered: boolean;
  /** Rows of pages.csv naming files the folder does not have. */
  missing: string[];
}

const HEADINGS: Record<string, 'file' | 'volume' | 'juan' | 'label'> = {
  file: 'file', 文件: 'file', 文件名: 'file', 册: 'volume', 冊: 'volume', volume: 'volume', 卷: 'juan', juan: 'juan',
  叶: 'label', 葉: 'label', 叶码: 'label', 葉碼: 'label', label: 'label',
};

export async function readFolder(folder: string): Promise<FolderBatch> {
  const names = (await readdir(folder)).filter((n) => IMAGE.test(n));
  const incoming = async (filename: string, extra: Partial<IncomingScan> = {}): Promise<IncomingScan> => {
    const file = path.join(folder, filename);
    return { filename, path: file, bytes: (await stat(file)).size, ...extra };
  };
  const csv = path.join(folder, 'pages.csv');
  if (!existsSync(csv)) {
    const files = await Promise.all(names.map((n) => incoming(n)));
    return { files: files.sort(byFileName), ordered: false, missing: [] };
  }
  const [head, ...rows] = (await readFile(csv, 'utf8')).replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim());
  const columns = (head ?? '').split(',').map((h) => HEADINGS[h.trim().toLowerCase()] ?? HEADINGS[h.trim()]);
  const files: IncomingScan[] = [];
  const missing: string[] = [];
  for (const row of rows) {
    const cells = row.split(',').map((c) => c.trim());
    const value = (key: string) => cells[columns.indexOf(key as never)] || undefined;
    const filename = value('file');
    if (!filename) continue;
    if (!names.includes(filename)) {
      missing.push(filename);
      continue;
    }
    const volume = value('volume');
    const juan = value('juan');
    const label = value('label');
    files.push(await incoming(filename, { ...(volume ? { volume } : {}), ...(juan ? { juan } : {}), ...(label ? { label } : {}) }));
  }
  return { files, ordered: true, missing };
}
