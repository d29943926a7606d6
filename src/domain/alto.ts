/**
 * A page's text as ALTO 4 XML (https://www.loc.gov/standards/alto/, schema v4/alto-4-4.xsd),
 * what libraries exchange OCR in. Vertical text: each column is a TextLine whose box is the
 * column's (HPOS, VPOS, WIDTH, HEIGHT in the master's pixels, MeasurementUnit `pixel`), its
 * characters Strings top to bottom, each with its box and the engine's confidence as WC. Runs of
 * columns of one kind (main text, 雙行小注, 版心) are TextBlocks tagged with that kind.
 */
import type { ColumnKind, PageText, TextColumn } from './page-text.js';
import { escapeXml } from './xml.js';

export interface AltoPage {
  page: PageText;
  /** Place of the page in the book (PHYSICAL_IMG_NR). */
  sequence: number;
  /** The master's file name and its IIIF Image API URL. */
  fileName: string;
  imageUrl: string;
  status: string;
  updatedAt: string;
  updatedBy: string;
}

const box = (b: readonly number[]) => `HPOS="${b[0]}" VPOS="${b[1]}" WIDTH="${b[2]}" HEIGHT="${b[3]}"`;
const KIND_LABELS: Record<ColumnKind, string> = { main: 'main text (正文)', note: 'interlinear note (雙行小注)', banxin: 'centre of the folded leaf (版心)' };

/** The smallest box holding all of `columns`. */
function around(columns: readonly TextColumn[]): number[] {
  const x0 = Math.min(...columns.map((c) => c.box[0]));
  const y0 = Math.min(...columns.map((c) => c.box[1]));
  const x1 = Math.max(...columns.map((c) => c.box[0] + c.box[2]));
  const y1 = Math.max(...columns.map((c) => c.box[1] + c.box[3]));
  return [x0, y0, x1 - x0, y1 - y0];
}

export function altoXml(input: AltoPage): string {
  const { page } = input;
  const blocks: { kind: ColumnKind; columns: { column: TextColumn; index: number }[] }[] = [];
  page.columns.forEach((column, index) => {
    // A TextLine holds one String at least (an aligned text may leave a column empty).
    if (column.chars.length === 0) return;
    const last = blocks[blocks.length - 1];
    if (last && last.kind === column.kind) last.columns.push({ column, index });
    else blocks.push({ kind: column.kind, columns: [{ column, index }] });
  });
  const lines: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
    '  xsi:schemaLocation="http://www.loc.gov/standards/alto/ns-v4# http://www.loc.gov/standards/alto/v4/alto-4-4.xsd">',
    '  <Description>',
    '    <MeasurementUnit>pixel</MeasurementUnit>',
    '    <sourceImageInformation>',
    `      <fileName>${escapeXml(input.fileName)}</fileName>`,
    `      <fileIdentifier fileIdentifierLocation="IIIF">${escapeXml(input.imageUrl)}</fileIdentifier>`,
    '    </sourceImageInformation>',
    '    <Processing ID="text">',
    `      <processingDateTime>${escapeXml(input.updatedAt)}</processingDateTime>`,
    `      <processingAgency>${escapeXml(input.updatedBy)}</processingAgency>`,
    `      <processingStepDescription>status: ${escapeXml(input.status)}</processingStepDescription>`,
    '      <processingSoftware>',
    `        <softwareName>${escapeXml(page.engine.name)}</softwareName>`,
    `        <softwareVersion>${escapeXml(page.engine.version)}</softwareVersion>`,
    '      </processingSoftware>',
    '    </Processing>',
    '  </Description>',
    '  <Tags>',
    ...(['main', 'note', 'banxin'] as const).map((k) => `    <StructureTag ID="${k}" LABEL="${escapeXml(KIND_LABELS[k])}"/>`),
    '  </Tags>',
    '  <Layout>',
    `    <Page ID="page${input.sequence}" PHYSICAL_IMG_NR="${input.sequence}" WIDTH="${page.width}" HEIGHT="${page.height}" PROCESSING="text">`,
    `      <PrintSpace HPOS="0" VPOS="0" WIDTH="${page.width}" HEIGHT="${page.height}">`,
  ];
  blocks.forEach((block, b) => {
    lines.push(`        <TextBlock ID="block${b + 1}" TAGREFS="${block.kind}" ${box(around(block.columns.map((c) => c.column)))}>`);
    for (const { column, index } of block.columns) {
      lines.push(`          <TextLine ID="line${index + 1}" ${box(column.box)}>`);
      column.chars.forEach((c, j) => {
        lines.push(`            <String ID="s${index + 1}_${j + 1}" CONTENT="${escapeXml(c.char)}" ${box(c.box)} WC="${Math.round(c.confidence * 1000) / 1000}"/>`);
      });
      lines.push('          </TextLine>');
    }
    lines.push('        </TextBlock>');
  });
  lines.push('      </PrintSpace>', '    </Page>', '  </Layout>', '</alto>', '');
  return lines.join('\n');
}
