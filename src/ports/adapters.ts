/**
 * The ports the services are built from, one adapter each: src/adapters/create-adapters.ts chooses
 * them (the embedded ones by default, a server's when its variable is set).
 */
import type { CatalogueStore } from './catalogue-store.js';
import type { ImageDeriver } from './image-deriver.js';
import type { ImageRenderer } from './image-renderer.js';
import type { ScanFileStore } from './scan-files.js';
import type { SearchIndex } from './search-index.js';
import type { SheetFiles } from './sheets.js';

export interface Adapters {
  store: CatalogueStore;
  search: SearchIndex;
  files: ScanFileStore;
  images: ImageDeriver;
  renderer: ImageRenderer;
  sheets: SheetFiles;
}
