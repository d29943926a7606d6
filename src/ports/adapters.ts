/**
 * The ports the services are built from, one adapter each: src/adapters/create-adapters.ts chooses
 * them (the embedded ones by default, a server's when its variable is set).
 */
import type { CatalogueStore } from './catalogue-store.js';
import type { ExhibitStore } from './exhibit-store.js';
import type { ImageDeriver } from './image-deriver.js';
import type { ImageRenderer } from './image-renderer.js';
import type { ScanFileStore } from './scan-files.js';
import type { SearchIndex } from './search-index.js';
import type { PageTextStore } from './page-text-store.js';
import type { RemoteManifests } from './remote-manifests.js';
import type { SheetFiles } from './sheets.js';
import type { TextRecognizer } from './text-recognizer.js';
import type { TextSearchIndex } from './text-search-index.js';

export interface Adapters {
  store: CatalogueStore;
  search: SearchIndex;
  files: ScanFileStore;
  images: ImageDeriver;
  renderer: ImageRenderer;
  sheets: SheetFiles;
  /** Page text (全文) and OCR jobs: beside the catalogue, in its file or database. */
  texts: PageTextStore;
  /** Search inside the books: its own index, rebuilt from `texts` when new. */
  textSearch: TextSearchIndex;
  /** The OCR engine, in a process of its own started at its first use and ended when idle (src/adapters/ocr/process-recognizer.ts). */
  recognizer: { get(): Promise<TextRecognizer>; close(): Promise<void> };
  /** Exhibits (展览): their own file, or collections beside the catalogue's. */
  exhibits: ExhibitStore;
  /** Other sites' IIIF manifests, read for exhibit items (bounded, public addresses only). */
  remoteManifests: RemoteManifests;
}
