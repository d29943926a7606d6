/**
 * A PDF of JPEG images, one per page, written as a stream of chunks (ISO 32000-1): each JPEG is
 * embedded as it is (§7.4.8 DCTDecode: "decompresses data encoded using a DCT … technique"),
 * never decoded, so that a book of hundreds of leaves is made with the memory of one read
 * buffer. A page is the image at one point per pixel; its size is the image's.
 */

/** What §8.9.5 needs of an embedded JPEG: its size and how many colour components it has. */
export interface JpegFrame {
  width: number;
  height: number;
  components: number;
}

/** Start-of-frame markers (ITU-T T.81 Table B.1): SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC). */
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/**
 * The frame header of a JPEG, read segment by segment (`read(offset, length)` gives the bytes
 * there), so that large EXIF or ICC segments before it are skipped, not read. Null when the
 * bytes are not a baseline or progressive JPEG with a frame header.
 */
export async function jpegFrame(read: (offset: number, length: number) => Promise<Buffer>): Promise<JpegFrame | null> {
  const start = await read(0, 2);
  if (start.length < 2 || start[0] !== 0xff || start[1] !== 0xd8) return null;
  let at = 2;
  // A JPEG has a few dozen segments before its frame; a file that never reaches one is not read to its end.
  for (let segment = 0; segment < 1000; segment++) {
    const head = await read(at, 4);
    if (head.length < 4 || head[0] !== 0xff) return null;
    const marker = head[1]!;
    // Fill bytes (FF FF …) may precede a marker (T.81 §B.1.1.2).
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    const length = head.readUInt16BE(2);
    if (SOF.has(marker)) {
      const frame = await read(at + 4, 6);
      if (frame.length < 6) return null;
      const components = frame[5]!;
      return { height: frame.readUInt16BE(1), width: frame.readUInt16BE(3), components };
    }
    if (marker === 0xd9 || marker === 0xda || length < 2) return null;
    at += 2 + length;
  }
  return null;
}

export interface PdfImagePage extends JpegFrame {
  /** The JPEG's length in bytes. */
  bytes: number;
  /** The JPEG's bytes, in chunks. */
  body: () => AsyncIterable<Uint8Array>;
}

/** §7.9.2.2: a text string in UTF-16BE with its byte order mark, as a hex string (any script). */
function textString(text: string): string {
  const utf16 = Buffer.from(`\ufeff${text}`, 'utf16le').swap16();
  return `<${utf16.toString('hex').toUpperCase()}>`;
}

/** The access copies are sRGB or gray (src/adapters/images): no CMYK, whose Adobe JPEGs store inverted values. */
const COLOUR_SPACES: Record<number, string> = { 1: '/DeviceGray', 3: '/DeviceRGB' };

/**
 * The PDF, chunk by chunk: catalogue, page tree and document information first, then per page
 * its dictionary, content stream and image, then the cross-reference table (§7.5.4) with the
 * byte offset of every object. Throws before writing anything if an image has a colour model
 * PDF's DCTDecode cannot name.
 */
export async function* imagePdf(title: string, pages: readonly PdfImagePage[]): AsyncGenerator<Buffer> {
  for (const [i, page] of pages.entries()) {
    if (!COLOUR_SPACES[page.components]) throw new Error(`Page ${i + 1}: a JPEG of ${page.components} components`);
  }
  const offsets: number[] = [];
  let written = 0;
  const out = (text: string | Uint8Array) => {
    const chunk = typeof text === 'string' ? Buffer.from(text, 'latin1') : Buffer.from(text);
    written += chunk.length;
    return chunk;
  };
  const object = (n: number, body: string) => {
    offsets[n] = written;
    return out(`${n} 0 obj\n${body}\nendobj\n`);
  };
  // Objects 1–3: catalogue, page tree, information; then page, contents and image of each page.
  const pageObject = (i: number) => 4 + 3 * i;
  // The binary comment tells transfer programs the file is binary (§7.5.2).
  yield out('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n');
  yield object(1, '<< /Type /Catalog /Pages 2 0 R >>');
  yield object(2, `<< /Type /Pages /Kids [${pages.map((_, i) => `${pageObject(i)} 0 R`).join(' ')}] /Count ${pages.length} >>`);
  yield object(3, `<< /Title ${textString(title)} /Producer (guji) >>`);
  for (const [i, page] of pages.entries()) {
    const n = pageObject(i);
    const content = `q ${page.width} 0 0 ${page.height} 0 0 cm /Im0 Do Q`;
    yield object(n, `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${page.width} ${page.height}] /Resources << /XObject << /Im0 ${n + 2} 0 R >> >> /Contents ${n + 1} 0 R >>`);
    yield object(n + 1, `<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
    offsets[n + 2] = written;
    yield out(
      `${n + 2} 0 obj\n<< /Type /XObject /Subtype /Image /Width ${page.width} /Height ${page.height} /ColorSpace ${COLOUR_SPACES[page.components]}` +
        ` /BitsPerComponent 8 /Filter /DCTDecode /Length ${page.bytes} >>\nstream\n`,
    );
    let copied = 0;
    for await (const chunk of page.body()) {
      copied += chunk.length;
      yield out(chunk);
    }
    if (copied !== page.bytes) throw new Error(`Page ${i + 1}: the image changed while it was read (${copied} bytes, not ${page.bytes})`);
    yield out('\nendstream\nendobj\n');
  }
  const xref = written;
  const count = pageObject(pages.length);
  const rows = Array.from({ length: count - 1 }, (_, i) => `${String(offsets[i + 1]).padStart(10, '0')} 00000 n \n`);
  yield out(`xref\n0 ${count}\n0000000000 65535 f \n${rows.join('')}trailer\n<< /Size ${count} /Root 1 0 R /Info 3 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
}
