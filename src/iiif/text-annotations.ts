/**
 * The text of a page as IIIF Presentation 3.0 annotations: an AnnotationPage of `supplementing`
 * annotations (§3.5 of the specification: "resources that are … transcriptions … of the
 * content of the Canvas"), one per column, each a TextualBody with the column's text targeting
 * the column's box on the canvas (`#xywh=`, Media Fragments 1.0 §4.2.1; the canvas is the
 * master's size, so its boxes are canvas coordinates). Pure.
 */
import type { AnnotationPage } from '@iiif/presentation-3';
import type { PageText } from '../domain/page-text.js';
import { PRESENTATION_CONTEXT } from './manifest.js';

export const canvasIdOf = (baseUrl: string, censusNumber: string, sequence: number) => `${baseUrl}/iiif/${censusNumber}/canvas/${sequence}`;
/** Where a canvas's text annotations are served (GET, public for published text). */
export const textAnnotationPageId = (baseUrl: string, censusNumber: string, sequence: number) => `${canvasIdOf(baseUrl, censusNumber, sequence)}/text`;

/** The text is stored as written, in traditional characters (the engine maps its readings to them). */
const LANGUAGE = 'zh-Hant';

export function textAnnotationPage(baseUrl: string, censusNumber: string, sequence: number, page: PageText): AnnotationPage {
  const id = textAnnotationPageId(baseUrl, censusNumber, sequence);
  const canvas = canvasIdOf(baseUrl, censusNumber, sequence);
  return {
    '@context': PRESENTATION_CONTEXT,
    id,
    type: 'AnnotationPage',
    items: page.columns.map((column, i) => ({
      id: `${id}/${i + 1}`,
      type: 'Annotation',
      motivation: ['supplementing'],
      body: { type: 'TextualBody', value: column.text, format: 'text/plain', language: LANGUAGE },
      target: `${canvas}#xywh=${column.box.join(',')}`,
    })),
  } as unknown as AnnotationPage;
}
