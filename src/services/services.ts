/** The services, built once from the adapters: used by the composition root and by tests alike. */
import type { Adapters } from '../adapters/create-adapters.js';
import type { Vocabulary } from '../domain/vocabulary.js';
import { imageRenderLimits } from '../config.js';
import type { QueueLimits } from './bounded-queue.js';
import { AuthService } from './auth-service.js';
import { DEFAULT_HASH_QUEUE, PasswordHasher } from './passwords.js';
import { RecordService } from './record-service.js';
import { ImageService } from './image-service.js';
import { IiifAccessService } from './iiif-access-service.js';
import { ManifestService } from './manifest-service.js';
import { ScanService } from './scan-service.js';
import { SheetService } from './sheet-service.js';
import { OpenDataService, DEFAULT_DATA_LICENSE } from './open-data-service.js';
import { SharingService } from './sharing-service.js';
import { StructureService } from './structure-service.js';
import { StatsService } from './stats-service.js';
import { SearchIndexer, SearchService } from './search-service.js';
import { DEFAULT_SIGN_IN_LIMITS, SignInLimiter, type SignInLimits } from './sign-in-limiter.js';
import { UnitService } from './unit-service.js';

/**
 * Largest image the IIIF service returns, after size, upscaling and rotation (info.json
 * announces these; src/iiif/image-request.ts enforces them on the image returned).
 */
const IMAGE_LIMITS = { maxWidth: 10_000, maxHeight: 10_000, maxArea: 50_000_000 };

export interface Services {
  auth: AuthService;
  records: RecordService;
  units: UnitService;
  search: SearchService;
  indexer: SearchIndexer;
  scans: ScanService;
  images: ImageService;
  manifests: ManifestService;
  /** Access tokens of the IIIF Authorization Flow for staff viewing unpublished scans. */
  iiifAccess: IiifAccessService;
  sheets: SheetService;
  structure: StructureService;
  stats: StatsService;
  /** MARC, MODS and BagIt exports (issue 17). */
  sharing: SharingService;
  /** The open-data dump, when it has a folder (GUJI_DUMP_*; the service keeps it in DATA_DIR/open-data). */
  openData?: OpenDataService;
  /** Where uploads are received (multipart bodies are written there, then ingested). */
  receivingPath: (name: string) => string;
  /** Where records and the search index are kept, for /health and logs. */
  storeDescription: string;
  searchDescription: string;
}

export function createServices(
  adapters: Adapters,
  options: {
    sessionHours: number;
    vocabulary: Vocabulary;
    maxScanBytes: number;
    publicBaseUrl: string;
    rights: string;
    /** The district whose census this is (GUJI_SITE_NAME); 资阳区 when left out. */
    siteName?: string;
    /** Dynamic IIIF renders at once, waiting, longest wait (GUJI_IMAGE_RENDER*; defaults from the core count). */
    imageRenders?: QueueLimits;
    log?: (message: string, error?: unknown) => void;
    /** Sign-in throttling (GUJI_SIGNIN_*); the defaults when left out. */
    signIn?: SignInLimits;
    /** Password checks that may wait for the one running before sign-ins get 503 (GUJI_HASH_QUEUE). */
    hashQueue?: number;
    /** Where the open-data dump is kept, and its licence (a URI); no dump without the folder. */
    openDataDir?: string;
    dataLicense?: string;
  },
): Services {
  const indexer = new SearchIndexer(adapters.store, adapters.search, options.log);
  const records = new RecordService(adapters.store, options.vocabulary, () => indexer.notify());
  const search = new SearchService(adapters.store, adapters.search);
  const scans = new ScanService(adapters.store, adapters.files, adapters.images, records, options.maxScanBytes);
  const manifests = new ManifestService(adapters.store, records, adapters.search, {
    baseUrl: options.publicBaseUrl, rights: options.rights, imageLimits: IMAGE_LIMITS, siteName: options.siteName ?? '资阳区',
  });
  const sheets = new SheetService(adapters.store, records, search, adapters.sheets, indexer, options.log);
  const auth = new AuthService(
    adapters.store, options.sessionHours, new PasswordHasher(options.hashQueue ?? DEFAULT_HASH_QUEUE),
    new SignInLimiter(options.signIn ?? DEFAULT_SIGN_IN_LIMITS),
  );
  return {
    auth,
    iiifAccess: new IiifAccessService(auth),
    records,
    scans,
    structure: new StructureService(scans, adapters.sheets),
    images: new ImageService(adapters.store, adapters.files, adapters.renderer, records, IMAGE_LIMITS, options.imageRenders ?? imageRenderLimits()),
    manifests,
    receivingPath: (name) => adapters.files.receivingPath(name),
    units: new UnitService(adapters.store),
    search,
    sheets,
    sharing: new SharingService(adapters.store, adapters.files, records, search, indexer, manifests, { baseUrl: options.publicBaseUrl, rights: options.rights }),
    ...(options.openDataDir
      ? { openData: new OpenDataService(sheets, options.openDataDir, { baseUrl: options.publicBaseUrl, license: options.dataLicense ?? DEFAULT_DATA_LICENSE, log: options.log }) }
      : {}),
    stats: new StatsService(adapters.store, adapters.search),
    indexer,
    storeDescription: adapters.store.description,
    searchDescription: adapters.search.description,
  };
}
