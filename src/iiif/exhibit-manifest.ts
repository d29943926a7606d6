/**
 * An exhibit as a IIIF Presentation 3.0 manifest, so that any IIIF viewer can present it: one
 * canvas per item, in the exhibit's order, each showing what the curator chose. Pure.
 *
 * How a region is shown. A painting annotation whose body is the whole leaf's image service and
 * whose body is narrowed by a SpecificResource selector (ImageApiSelector) is the richer form,
 * but Mirador 3 ignores selectors on image bodies: given an image service it tiles the whole
 * leaf onto the canvas. So a region's canvas is the region's size and is painted with the region
 * itself as an Image API URL (`…/x,y,w,h/{size}/0/default.jpg`), without the service: every
 * viewer (Mirador, UV, OpenSeadragon alone) then shows exactly the region. The zoomable leaf is
 * a click away: the canvas's `homepage` is /viewer opened on that region (IIIF Content State).
 * A whole leaf or book keeps its image service, for deep zoom.
 */
import type { Manifest } from '@iiif/presentation-3';
import type { Exhibit, ExhibitItem } from '../domain/exhibit.js';
import { chinese, PRESENTATION_CONTEXT } from './manifest.js';

/** Longest side of a region's painted image: sharp on a screen, and well inside the image service's limits. */
export const REGION_IMAGE_SIDE = 2000;

const label = (zh: string, en: string) => ({ 'zh-Hans': [zh], en: [en] });
const text = (value: string) => chinese(value);

export const exhibitManifestId = (baseUrl: string, slug: string) => `${baseUrl}/iiif/exhibits/${slug}/manifest`;

/** The size a region is painted at: its own, or scaled down to REGION_IMAGE_SIDE (never up: Image API 3 §4.2 needs `^` for that). */
export function regionImageSize(region: readonly number[]): { width: number; height: number } {
  const [, , w, h] = region as [number, number, number, number];
  const scale = Math.min(1, REGION_IMAGE_SIDE / Math.max(w, h));
  return { width: Math.max(1, Math.round(w * scale)), height: Math.max(1, Math.round(h * scale)) };
}

/** The Image API URL of an item's region (or whole leaf) at a size; null when the leaf has no image service. */
export function itemImageUrl(item: ExhibitItem, size: string): string | null {
  const r = item.resolved;
  if (!r.service) return null;
  return `${r.service.id}/${r.region ? r.region.join(',') : 'full'}/${size}/0/default.jpg`;
}

/** Where a reader zooms into the item: /viewer with a content state naming its leaf and region. */
export function itemViewerUrl(baseUrl: string, item: ExhibitItem): string {
  const r = item.resolved;
  const target = r.whole
    ? { id: r.manifest, type: 'Manifest' }
    : { id: r.region ? `${r.canvas}#xywh=${r.region.join(',')}` : r.canvas, type: 'Canvas', partOf: [{ id: r.manifest, type: 'Manifest' }] };
  const state = { '@context': PRESENTATION_CONTEXT, type: 'Annotation', motivation: ['contentState'], target };
  // Content State 1.0 §6: base64url of the URI-encoded JSON, without padding.
  return `${baseUrl}/viewer?iiif-content=${Buffer.from(encodeURIComponent(JSON.stringify(state))).toString('base64url')}`;
}

export function buildExhibitManifest(exhibit: Exhibit, baseUrl: string): Manifest {
  const id = exhibitManifestId(baseUrl, exhibit.slug);
  const base = `${baseUrl}/iiif/exhibits/${exhibit.slug}`;
  const items = exhibit.sections.flatMap((section, s) => section.items.map((item, i) => ({ item, section, key: `${s + 1}-${i + 1}` })));
  const canvases = items.map(({ item, section, key }) => {
    const r = item.resolved;
    const canvasId = `${base}/canvas/${key}`;
    const size = r.region ? regionImageSize(r.region) : { width: r.width, height: r.height };
    const body = r.region && r.service
      ? { id: itemImageUrl(item, `${size.width},${size.height}`)!, type: 'Image', format: 'image/jpeg', ...size }
      : { id: r.service ? itemImageUrl(item, 'max')! : r.image, type: 'Image', format: 'image/jpeg', width: r.width, height: r.height,
          ...(r.service ? { service: [r.service.type === 'ImageService3' ? { id: r.service.id, type: 'ImageService3', profile: r.service.profile } : { '@id': r.service.id, '@type': 'ImageService2', profile: r.service.profile }] } : {}) };
    const metadata = [
      { label: label('出处', 'Source'), value: text(r.label || r.manifest) },
      { label: label('叶', 'Leaf'), value: r.whole ? label('全书（首叶）', 'Whole book (first leaf)') : text(r.canvasLabel || r.canvas) },
      ...(r.region ? [{ label: label('区域', 'Region'), value: { none: [r.region.join(',')] } }] : []),
      ...(section.title ? [{ label: label('单元', 'Section'), value: text(section.title) }] : []),
    ];
    return {
      id: canvasId,
      type: 'Canvas',
      label: text(item.caption ? item.caption.split('\n')[0]!.slice(0, 120) : r.label || key),
      // A region's canvas is the region's size in the leaf's pixels; the painted image fills it.
      width: r.region ? r.region[2] : r.width,
      height: r.region ? r.region[3] : r.height,
      ...(item.caption ? { summary: text(item.caption) } : {}),
      metadata,
      ...(item.credit ? { requiredStatement: { label: label('来源', 'Credit'), value: text(item.credit) } } : {}),
      homepage: [{ id: itemViewerUrl(baseUrl, item), type: 'Text', label: label('在浏览器中放大', 'Zoom in the viewer'), format: 'text/html' }],
      seeAlso: [{ id: r.manifest, type: 'Manifest', label: text(r.label || r.manifest), format: 'application/ld+json', profile: 'http://iiif.io/api/presentation/3/context.json' }],
      items: [{
        id: `${canvasId}/page`,
        type: 'AnnotationPage',
        items: [{ id: `${canvasId}/page/painting`, type: 'Annotation', motivation: 'painting', target: canvasId, body }],
      }],
    };
  });
  const cover = exhibit.cover ? exhibit.sections[exhibit.cover.section]?.items[exhibit.cover.item] : items[0]?.item;
  const thumbnail = cover && itemImageUrl(cover, '!400,400');
  return {
    '@context': PRESENTATION_CONTEXT,
    id,
    type: 'Manifest',
    label: text(exhibit.title),
    ...(exhibit.summary ? { summary: text(exhibit.summary) } : {}),
    metadata: [
      { label: label('展览', 'Exhibit'), value: text(exhibit.title) },
      ...(exhibit.credits ? [{ label: label('策展与致谢', 'Credits'), value: text(exhibit.credits) }] : []),
    ],
    requiredStatement: { label: label('策展与致谢', 'Credits'), value: text(exhibit.credits || exhibit.title) },
    rights: exhibit.licence,
    homepage: [{ id: `${baseUrl}/exhibits/${exhibit.slug}`, type: 'Text', label: text(exhibit.title), format: 'text/html' }],
    ...(thumbnail ? { thumbnail: [{ id: thumbnail, type: 'Image', format: 'image/jpeg' }] } : {}),
    behavior: ['individuals'],
    items: canvases,
  } as unknown as Manifest;
}
