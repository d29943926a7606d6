/**
 * BagIt (RFC 8493) tag files, pure. A bag is `bagit.txt`, the payload under `data/`, a payload
 * manifest of every payload file's checksum (§2.1.3), `bag-info.txt` (§2.2.2) and a tag
 * manifest (§2.2.1) of the tag files.
 */

/** RFC 8493 §2.1.1: version and the tag files' encoding. */
export const BAGIT_TXT = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';

export interface BagEntry {
  /** Path inside the bag, `/`-separated (data/… for the payload). */
  path: string;
  sha256: string;
  bytes: number;
}

/**
 * RFC 8493 §2.1.3: `checksum filepath` a line; a path's CR, LF and % are percent-encoded
 * ("%0D", "%0A", "%25"), the only characters the manifest format cannot hold as written.
 */
export function manifestText(entries: readonly BagEntry[]): string {
  const encode = (p: string) => p.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return entries.map((e) => `${e.sha256}  ${encode(e.path)}\n`).join('');
}

/** RFC 8493 §2.2.2: Payload-Oxum is the payload's octet count, a dot, and its file count. */
export function payloadOxum(payload: readonly BagEntry[]): string {
  return `${payload.reduce((n, e) => n + e.bytes, 0)}.${payload.length}`;
}

export function bagInfoText(info: { baggingDate: string; payload: readonly BagEntry[]; sourceOrganization: string; externalIdentifier: string; description?: string }): string {
  // Values are one line each: a line break would start a new label (§2.2.2 allows folded
  // lines, but few readers unfold them).
  const line = (label: string, value: string) => `${label}: ${value.replace(/\s*[\r\n]+\s*/g, ' ')}\n`;
  return line('Bagging-Date', info.baggingDate)
    + line('Payload-Oxum', payloadOxum(info.payload))
    + line('Source-Organization', info.sourceOrganization)
    + line('External-Identifier', info.externalIdentifier)
    + (info.description ? line('External-Description', info.description) : '')
    + line('Bag-Software-Agent', 'guji');
}

/** A master's file name in the bag: its place in the book, then its name as uploaded, made safe for every file system. */
export function masterName(sequence: number, filename: string): string {
  const safe = filename.replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^\.+/, '_').slice(-120);
  return `data/masters/${String(sequence).padStart(4, '0')}-${safe}`;
}
