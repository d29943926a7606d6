/**
 * The only module that knows which adapters exist: the embedded ones by default, a server's when
 * its variable is set.
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { DEFAULT_INPUT_LIMITS, type Config } from '../config.js';
import type { Adapters } from '../ports/adapters.js';
import type { CatalogueStore } from '../ports/catalogue-store.js';
import type { TextRecognizer } from '../ports/text-recognizer.js';
import { FileScanStore } from './embedded/scan-files.js';
import { SharpDeriver } from './images/sharp-deriver.js';
import { SharpRenderer } from './images/sharp-renderer.js';
import { SheetFileAdapter } from './sheets/sheet-files.js';
import { WorkerSearchIndex } from './embedded/worker-search-index.js';
import { MeiliSearchIndex } from './meili/meili-search-index.js';
import { SqliteCatalogueStore } from './embedded/sqlite-store.js';
import { MongoCatalogueStore } from './mongo/mongo-store.js';
import { SqlitePageTextStore } from './embedded/sqlite-page-text-store.js';
import { MongoPageTextStore } from './mongo/mongo-page-text-store.js';
import { ProcessTextRecognizer } from './ocr/process-recognizer.js';
import { SqliteExhibitStore } from './embedded/sqlite-exhibit-store.js';
import { MongoExhibitStore } from './mongo/mongo-exhibit-store.js';
import { DEFAULT_REMOTE_MANIFEST_LIMITS, WebRemoteManifests, type RemoteManifestLimits } from './web/remote-manifests.js';
import { SqliteTextSearchIndex } from './embedded/sqlite-text-search-index.js';
import { MeiliTextSearchIndex } from './meili/meili-text-search-index.js';


/** The embedded catalogue's file in the data directory (npm run restore puts a backup's there). */
export const CATALOGUE_FILE = 'catalogue.sqlite';

/** The catalogue store alone (npm run backup reads it beside the running service). */
export async function createStore(config: Pick<Config, 'dataDir' | 'mongodbUri'>): Promise<CatalogueStore> {
  return config.mongodbUri ? MongoCatalogueStore.connect(config.mongodbUri) : new SqliteCatalogueStore(path.join(config.dataDir, CATALOGUE_FILE));
}

export async function createAdapters(
  config: Pick<Config, 'dataDir' | 'mongodbUri' | 'meiliUrl' | 'meiliKey' | 'pixelLimit'> & Partial<Pick<Config, 'imageCacheBytes' | 'inputLimits' | 'ocr' | 'textSearchMaxCandidates'>>
    & { exhibitFetch?: RemoteManifestLimits },
): Promise<Adapters> {
  mkdirSync(config.dataDir, { recursive: true });
  const store = await createStore(config);
  const search = config.meiliUrl
    ? await MeiliSearchIndex.connect(config.meiliUrl, config.meiliKey)
    : new WorkerSearchIndex(path.join(config.dataDir, 'search.sqlite'));
  const files = new FileScanStore(config.dataDir);
  await files.sweep();
  const exhibits = config.mongodbUri ? await MongoExhibitStore.connect(config.mongodbUri) : new SqliteExhibitStore(path.join(config.dataDir, CATALOGUE_FILE));
  const texts = config.mongodbUri ? await MongoPageTextStore.connect(config.mongodbUri) : new SqlitePageTextStore(path.join(config.dataDir, CATALOGUE_FILE));
  let recognizer: Promise<TextRecognizer> | null = null;
  return {
    store, search, files, images: new SharpDeriver(config.pixelLimit), renderer: new SharpRenderer(config.imageCacheBytes, config.pixelLimit), sheets: new SheetFileAdapter((config.inputLimits ?? DEFAULT_INPUT_LIMITS).sheet),
    texts, exhibits, remoteManifests: new WebRemoteManifests(config.exhibitFetch ?? DEFAULT_REMOTE_MANIFEST_LIMITS),
    textSearch: config.meiliUrl
      ? await MeiliTextSearchIndex.connect(config.meiliUrl, config.meiliKey, undefined, { maxCandidates: config.textSearchMaxCandidates })
      : new SqliteTextSearchIndex(path.join(config.dataDir, 'text-search.sqlite')),
    recognizer: {
      // A start that failed (models missing) is tried again at the next use.
      get: () => (recognizer ??= ProcessTextRecognizer.create({ pixelLimit: config.pixelLimit, concurrency: config.ocr?.concurrency ?? availableParallelism() }).catch((e: unknown) => {
        recognizer = null;
        throw e;
      })),
      async close() {
        const started = recognizer;
        recognizer = null;
        await (await started?.catch(() => null))?.close();
      },
    },
  };
}
