/**
 * The reference for the benchmark: PaddleOCR's own pipeline on the whole page — the PP-OCRv4
 * detection model (DB) finds the text lines, and each vertical line is turned a quarter (as
 * PaddleOCR does) and read by the same recognition model. Characters turned on their side read
 * badly; that is why paddle-columns.ts lays them upright instead. Character boxes here are the
 * line's slice under each character's time steps.
 */
import * as ort from 'onnxruntime-node';
import type { PageText, TextChar } from '../../domain/page-text.js';
import type { DecodedImage, TextRecognizer } from '../../ports/text-recognizer.js';
import { components, type Rect } from './layout.js';
import { toBox, workingPage } from './page-image.js';
import { LINE_HEIGHT, paddleModels, recogniseLines, toTraditional, type PaddleModels } from './paddle-models.js';

/** Long side of the detector's input (PaddleOCR's det_limit_side_len default). */
const DETECTION_SIZE = 960;
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

export class PaddleWholePageRecognizer implements TextRecognizer {
  readonly engine: { name: string; version: string };

  private constructor(
    private readonly models: PaddleModels,
    private readonly detection: ort.InferenceSession,
    private readonly pixelLimit: number,
  ) {
    this.engine = { name: 'paddle-whole-page', version: models.version };
  }

  static async create(pixelLimit = 100_000_000): Promise<PaddleWholePageRecognizer> {
    const models = await paddleModels();
    return new PaddleWholePageRecognizer(models, await models.detection(), pixelLimit);
  }

  async recognise(image: string | DecodedImage): Promise<PageText> {
    // At the fixed working size, not normalised to the columns: this mode is the reference.
    const page = await workingPage(image, this.pixelLimit, { columnPitch: null });
    const result: PageText = { engine: this.engine, width: page.masterWidth, height: page.masterHeight, columns: [] };
    // Detector input: the page scaled to ≤ 960 px, both sides multiples of 32.
    const f = Math.min(1, DETECTION_SIZE / Math.max(page.width, page.height));
    const dw = Math.max(32, Math.round((page.width * f) / 32) * 32);
    const dh = Math.max(32, Math.round((page.height * f) / 32) * 32);
    const plane = dw * dh;
    const input = new Float32Array(3 * plane);
    for (let y = 0; y < dh; y++)
      for (let x = 0; x < dw; x++) {
        const v = page.data[Math.min(page.height - 1, Math.floor((y * page.height) / dh)) * page.width + Math.min(page.width - 1, Math.floor((x * page.width) / dw))]! / 255;
        for (let c = 0; c < 3; c++) input[c * plane + y * dw + x] = (v - MEAN[c]!) / STD[c]!;
      }
    const out = await this.detection.run({ [this.detection.inputNames[0]!]: new ort.Tensor('float32', input, [1, 3, dh, dw]) });
    const prob = out[this.detection.outputNames[0]!]!.data as Float32Array;
    const mask = new Uint8Array(plane);
    for (let i = 0; i < plane; i++) mask[i] = prob[i]! > 0.3 ? 1 : 0;

    // Each region with a mean score ≥ 0.6, grown as DB's unclip does (ratio 1.5), in page pixels.
    const sx = page.width / dw;
    const sy = page.height / dh;
    const regions: Rect[] = [];
    for (const c of components(mask, dw, dh)) {
      if (c.rect.w < 3 || c.rect.h < 3) continue;
      const score = c.pixels.reduce((s, i) => s + prob[i]!, 0) / c.pixels.length;
      if (score < 0.6) continue;
      const d = (c.rect.w * c.rect.h * 1.5) / (2 * (c.rect.w + c.rect.h));
      const x0 = Math.max(0, Math.floor((c.rect.x - d) * sx));
      const y0 = Math.max(0, Math.floor((c.rect.y - d) * sy));
      const x1 = Math.min(page.width, Math.ceil((c.rect.x + c.rect.w + d) * sx));
      const y1 = Math.min(page.height, Math.ceil((c.rect.y + c.rect.h + d) * sy));
      regions.push({ x: x0, y: y0, w: x1 - x0, h: y1 - y0 });
    }
    // Right to left, then top to bottom.
    regions.sort((a, b) => b.x + b.w / 2 - (a.x + a.w / 2) || a.y - b.y);

    for (const r of regions) {
      const vertical = r.h >= 1.5 * r.w;
      // The line as the recogniser wants it: a vertical region turned a quarter anticlockwise
      // would put its top at the left — PaddleOCR's rot90 — so line x runs down the page.
      const along = vertical ? r.h : r.w;
      const across = vertical ? r.w : r.h;
      const scale = LINE_HEIGHT / across;
      const width = Math.max(8, Math.ceil((along * scale) / 8) * 8);
      const line = new Uint8Array(LINE_HEIGHT * width).fill(255);
      for (let v = 0; v < LINE_HEIGHT; v++)
        for (let u = 0; u < Math.min(width, Math.round(along * scale)); u++) {
          const a = Math.min(along - 1, Math.floor(u / scale));
          const b = Math.min(across - 1, Math.floor(v / scale));
          // rot90 anticlockwise: line row v is the region's column (w − 1 − v) … read down its rows.
          const x = vertical ? r.x + (across - 1 - b) : r.x + a;
          const y = vertical ? r.y + a : r.y + b;
          line[v * width + u] = page.data[y * page.width + x]!;
        }
      const [read] = await recogniseLines(this.models, [line], width);
      const chars: TextChar[] = (read?.chars ?? []).map((d) => {
        const centre = d.x / scale;
        const half = across / 2;
        const box: Rect = vertical
          ? { x: r.x, y: Math.max(r.y, r.y + centre - half), w: r.w, h: 0 }
          : { x: Math.max(r.x, r.x + centre - half), y: r.y, w: 0, h: r.h };
        if (vertical) box.h = Math.min(r.y + r.h, box.y + across) - box.y;
        else box.w = Math.min(r.x + r.w, box.x + across) - box.x;
        return { char: toTraditional(d.char), box: toBox(box, page.scale), confidence: Math.min(1, Math.max(0, d.confidence)) };
      });
      if (chars.length) result.columns.push({ kind: 'main', box: toBox(r, page.scale), text: chars.map((c) => c.char).join(''), chars });
    }
    return result;
  }

  async close(): Promise<void> {}
}
