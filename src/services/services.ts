/** The services, built once from the adapters: used by the composition root and by tests alike. */
import type { Adapters } from '../ports/adapters.js';
import type { Vocabulary } from '../domain/vocabulary.js';
import { DEFAULT_SITE_NAME, defaultOaiSettings, imageRenderLimits, type OaiSettings } from '../config.js';
import type { QueueLimits } from './bounded-queue.js';
import { AuthService } from './auth-service.js';
import { DerivativeService } from './derivative-service.js';
import { FixityService } from './fixity-service.js';
import { DEFAULT_HASH_QUEUE, PasswordHasher } from './passwords.js';
import { ReadingService } from './reading-service.js';
import { RenderingService } from './rendering-service.js';
import { RecordService } from './record-service.js';
import { ImageService } from './image-service.js';
import { IiifAccessService } from './iiif-access-service.js';
import { ManifestService } from './manifest-service.js';
import { DiscoveryService } from './discovery-service.js';
import { OAI_DC_FORMAT, OaiService, type MetadataFormat } from './oai-service.js';
import { MARCXML_NAMESPACE, marcXmlRecord } from '../exports/marc.js';
import { MODS_NAMESPACE, MODS_SCHEMA, modsXml } from '../exports/mods.js';
import { ScanService } from './scan-service.js';
import { SheetService } from './sheet-service.js';
import { OpenDataService, DEFAULT_DATA_LICENSE } from './open-data-service.js';
import { SharingService } from './sharing-service.js';
import { StructureService } from './structure-service.js';
import { StatsService } from './stats-service.js';
import { SearchIndexer, SearchService } from './search-service.js';
import { DEFAULT_SIGN_IN_LIMITS, SignInLimiter, type SignInLimits } from './sign-in-limiter.js';
import { UnitService } from './unit-service.js';
import { DEFAULT_TEXT_LIMITS, TextService, type TextLimits } from './text-service.js';
import { ExhibitService } from './exhibit-service.js';
import { TextSearchService } from './text-search-service.js';

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
  /** The PDF of a book's access copies (a manifest's `rendering`), when it has a folder. */
  renderings?: RenderingService;
  /** Access tokens of the IIIF Authorization Flow for staff viewing unpublished scans. */
  iiifAccess: IiifAccessService;
  sheets: SheetService;
  structure: StructureService;
  stats: StatsService;
  /** The 四部 tree, persons' records, other copies of a work: for the public pages (issue 20). */
  reading: ReadingService;
  /** MARC, MODS and BagIt exports (issue 17). */
  sharing: SharingService;
  /** The open-data dump, when it has a folder (GUJI_DUMP_*; the service keeps it in DATA_DIR/open-data). */
  openData?: OpenDataService;
  oai: OaiService;
  discovery: DiscoveryService;
  /** Operations (npm run fixity, npm run rederive): masters checked, derivatives made again. */
  fixity: FixityService;
  derivatives: DerivativeService;
  texts: TextService;
  exhibits: ExhibitService;
  /** Search inside the books (issue 16). */
  textSearch: TextSearchService;
  /** Where uploads are received (multipart bodies are written there, then ingested). */
  receivingPath: (name: string) => string;
  /** Where records and the search index are kept, for /health and logs. */
  storeDescription: string;
  searchDescription: string;
}

/** What OAI-PMH disseminates: Dublin Core, and the MODS and MARCXML crosswalks of the exports. */
const OAI_FORMATS: readonly MetadataFormat[] = [
  OAI_DC_FORMAT,
  { prefix: 'mods', schema: MODS_SCHEMA, namespace: MODS_NAMESPACE, render: modsXml },
  { prefix: 'marcxml', schema: 'http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd', namespace: MARCXML_NAMESPACE, render: marcXmlRecord },
];

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
    /** Where the PDFs of the books are kept (DATA_DIR/renderings); no PDFs without the folder. */
    renderingsDir?: string;
    /** The OAI-PMH repository (GUJI_OAI_*); defaults from the public base URL when left out. */
    oai?: OaiSettings;
    /** OCR of new scans (GUJI_OCR; off when left out) and pages read at once (GUJI_OCR_CONCURRENCY). */
    ocr?: { auto: boolean; concurrency: number };
    textLimits?: TextLimits;
  },
): Services {
  const indexer = new SearchIndexer(adapters.store, adapters.search, options.log);
  const records = new RecordService(adapters.store, options.vocabulary, () => {
    indexer.notify();
    textSearch.notify();
  });
  const scans = new ScanService(adapters.store, adapters.files, adapters.images, records, options.maxScanBytes);
  const texts = new TextService(adapters.store, adapters.texts, adapters.files, records, adapters.recognizer, {
    concurrency: options.ocr?.concurrency ?? 1, limits: options.textLimits ?? DEFAULT_TEXT_LIMITS, log: options.log,
  });
  const textSearch = new TextSearchService(adapters.store, adapters.texts, adapters.textSearch, records, options.log);
  const search = new SearchService(adapters.store, adapters.search, textSearch);
  texts.onWritten((text) => textSearch.pageWritten(text));
  if (options.ocr?.auto) {
    scans.onIngested((actor, censusNumber, imageIds) => {
      texts.startOcr(actor, censusNumber, imageIds).catch((e: unknown) => options.log?.(`OCR of the new scans of ${censusNumber} not started`, e));
    });
  }
  const manifests = new ManifestService(adapters.store, records, adapters.search, {
    baseUrl: options.publicBaseUrl, rights: options.rights, siteName: options.siteName ?? DEFAULT_SITE_NAME, imageLimits: IMAGE_LIMITS,
    pdf: options.renderingsDir !== undefined,
  }, texts);
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
    images: new ImageService(adapters.store, adapters.files, adapters.renderer, IMAGE_LIMITS, options.imageRenders ?? imageRenderLimits()),
    manifests,
    ...(options.renderingsDir ? { renderings: new RenderingService(adapters.store, adapters.files, records, options.renderingsDir) } : {}),
    receivingPath: (name) => adapters.files.receivingPath(name),
    units: new UnitService(adapters.store),
    search,
    sheets,
    sharing: new SharingService(adapters.store, adapters.files, records, search, indexer, manifests, { baseUrl: options.publicBaseUrl, rights: options.rights }),
    ...(options.openDataDir
      ? { openData: new OpenDataService(sheets, options.openDataDir, { baseUrl: options.publicBaseUrl, license: options.dataLicense ?? DEFAULT_DATA_LICENSE, log: options.log }) }
      : {}),
    stats: new StatsService(adapters.store, adapters.search),
    oai: new OaiService(adapters.store, options.vocabulary, {
      ...(options.oai ?? defaultOaiSettings(options.publicBaseUrl)), baseUrl: options.publicBaseUrl, rights: options.rights,
    }, OAI_FORMATS),
    discovery: new DiscoveryService(adapters.store, { baseUrl: options.publicBaseUrl }),
    fixity: new FixityService(adapters.store, adapters.files),
    derivatives: new DerivativeService(adapters.files, adapters.images),
    reading: new ReadingService(adapters.store, adapters.search, options.vocabulary),
    texts,
    textSearch,
    indexer,
    exhibits: new ExhibitService(adapters.exhibits, adapters.store, records, adapters.remoteManifests, options.publicBaseUrl),
    storeDescription: adapters.store.description,
    searchDescription: adapters.search.description,
  };
}
