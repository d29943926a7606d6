/**
 * Configuration from the environment (docs/API.md, Running), validated once at start.
 * Every problem is reported together, so an operator fixes them in one go.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { RightsUriSchema } from './domain/census-record.js';
import { Vocabulary, VocabularySchema, DEFAULT_VOCABULARY_DATA } from './domain/vocabulary.js';
import { fieldProblems } from './domain/validation.js';
import { PasswordSchema, passwordProblems } from './domain/password-policy.js';
import { DEFAULT_HASH_QUEUE } from './services/passwords.js';
import { DEFAULT_SIGN_IN_LIMITS, type SignInLimits } from './services/sign-in-limiter.js';
import type { QueueLimits } from './services/bounded-queue.js';
import { DEFAULT_TEXT_LIMITS, type TextLimits } from './services/text-service.js';

/** Candidate pages a Meilisearch text search reads at most (src/adapters/meili/meili-text-search-index.ts). */
export const DEFAULT_TEXT_MEILI_MAX_PAGES = 20_000;

export interface Config {
  port: number;
  dataDir: string;
  publicBaseUrl: string;
  adminUser: string;
  adminPassword: string | undefined;
  demo: boolean;
  mongodbUri: string | undefined;
  meiliUrl: string | undefined;
  meiliKey: string | undefined;
  sessionHours: number;
  /** Sign-in throttling per address and per account (src/services/sign-in-limiter.ts). */
  signIn: SignInLimits;
  /** Password checks that may wait before sign-ins are answered 503 (src/services/passwords.ts). */
  hashQueue: number;
  /** Largest master accepted, in bytes. */
  maxScanBytes: number;
  maxSheetBytes: number;
  /** Masters with more pixels are refused (decompression bombs). */
  pixelLimit: number;
  /** Memory for decoded pyramid levels kept by the image service (0: none). */
  imageCacheBytes: number;
  /** Bounds on what one request may bring in (uploads, JSON bodies, spreadsheets). */
  inputLimits: InputLimits;
  /** How long a stop (SIGTERM) waits for running jobs to finish the file or row in hand. */
  shutdownSeconds: number;
  /** IIIF image requests rendered on demand (no pre-rendered file): at once, waiting, longest wait. */
  imageRenders: QueueLimits;
  /** Rights of the published images and manifests (a Creative Commons or RightsStatements.org URI). */
  rights: string;
  /** The district whose census this is (GUJI_SITE_NAME), for IIIF collections and manifests. */
  siteName: string;
  vocabulary: Vocabulary;
  vocabularyFile: string | undefined;
  /** The open-data dump: its folder (DATA_DIR/open-data), hours between regenerations (0: only on demand), licence URI. */
  openDataDir: string;
  /** The PDFs of the books' access copies, made on demand and kept (DATA_DIR/renderings). */
  renderingsDir: string;
  dumpHours: number;
  dataLicense: string;
  /** The OAI-PMH repository (src/services/oai-service.ts). */
  oai: OaiSettings;
  /** OCR of new scans as they are ingested, and pages read at once (src/services/text-service.ts). */
  ocr: { auto: boolean; concurrency: number };
  /** Bounds on a page's text as a proofreader sends it. */
  textLimits: TextLimits;
  /** Candidate pages a search inside the books reads from Meilisearch before it refuses the phrase as too common (GUJI_TEXT_MEILI_MAX_PAGES). */
  textSearchMaxCandidates: number;
  /** Reading other sites' manifests for exhibit items: time and size limits (GUJI_EXHIBIT_FETCH_*). */
  exhibitFetch: { timeoutMs: number; maxBytes: number };
}

export interface OaiSettings {
  /** Records or headers per list response (GUJI_OAI_PAGE_SIZE). */
  pageSize: number;
  /** `<repository-id>` of identifiers `oai:<repository-id>:<census number>` (GUJI_OAI_REPOSITORY_ID; the public host). */
  repositoryId: string;
  repositoryName: string;
  /** Identify's adminEmail (GUJI_OAI_ADMIN_EMAIL): who harvesters write to. */
  adminEmail: string;
}

/** The OAI-PMH settings for a public base URL when no GUJI_OAI_* variable says otherwise. */
export function defaultOaiSettings(publicBaseUrl: string): OaiSettings {
  const host = new URL(publicBaseUrl).hostname;
  // Identify's emailType wants a dot after the @: `localhost` alone would not validate.
  return { pageSize: 100, repositoryId: host, repositoryName: '古籍普查登记目录 guji', adminEmail: `admin@${host.includes('.') ? host : `${host}.localdomain`}` };
}

/**
 * Bounds on untrusted input: every reader of a request's body or an uploaded sheet stops at them
 * with a 413 or 400 that names the limit. Each is a GUJI_* variable (below); these are the
 * defaults, generous for real catalogues (a 100,000-row census sheet is far inside them).
 */
export interface InputLimits {
  /** Files in one multipart upload (GUJI_MAX_UPLOAD_FILES). */
  maxUploadFiles: number;
  /** Bytes of one multipart request, all its files together (GUJI_MAX_UPLOAD_MB). */
  maxUploadBytes: number;
  /** Nesting of a JSON body: objects and arrays within each other (GUJI_MAX_JSON_DEPTH). */
  maxJsonDepth: number;
  sheet: SheetLimits;
}

/** What one spreadsheet (CSV or XLSX) may hold; read by src/adapters/sheets. */
export interface SheetLimits {
  /** Rows of a sheet, empty ones included (GUJI_SHEET_MAX_ROWS). */
  maxRows: number;
  /** Columns of a sheet (GUJI_SHEET_MAX_COLUMNS); census sheets have 28. */
  maxColumns: number;
  /** Characters of one row, all its cells together (GUJI_SHEET_MAX_ROW_CHARS). */
  maxRowChars: number;
  /** Shared strings of an .xlsx: how many, and their characters together (GUJI_SHEET_MAX_STRINGS, GUJI_SHEET_MAX_STRING_CHARS). */
  maxStrings: number;
  maxStringChars: number;
  /** Decompressed bytes of one .xlsx part, and of all the parts read (GUJI_SHEET_MAX_UNZIPPED_MB). */
  maxUnzippedBytes: number;
  /** Decompressed ÷ compressed size of a part over 1 MiB: deflate's ceiling is 1032, XML sheets give 5–100 (GUJI_SHEET_MAX_RATIO). */
  maxRatio: number;
  /** Time spent reading one sheet (parsing, not the import's writes) (GUJI_SHEET_MAX_SECONDS). */
  maxSeconds: number;
}

/**
 * Limits of IIIF image requests rendered on demand, those set and defaults for the rest. At
 * once: one a core (each render runs on one libvips thread), but at most the libuv thread pool
 * less two, since a render holds a pool thread until it ends and file reads (pre-rendered tiles)
 * and password hashing need the pool too (UV_THREADPOOL_SIZE, 4 by default: two renders); large
 * renders one fewer (src/services/image-service.ts). Waiting: 32 a render, so that a viewer's
 * burst of regions — or 32 connections of them (npm run bench -- serve) — is answered and a
 * flood refused with 503 rather than held; ten seconds at most.
 */
export function imageRenderLimits(
  set: { renders?: number; queue?: number; waitSeconds?: number } = {},
  cores = availableParallelism(),
  threadPool = 4,
): QueueLimits {
  const concurrent = set.renders ?? Math.max(1, Math.min(cores, threadPool - 2));
  return { concurrent, queued: set.queue ?? 32 * concurrent, waitSeconds: set.waitSeconds ?? 10 };
}

const optional = z.string().optional().transform((v) => (v === '' ? undefined : v));

/** The district whose census this is when GUJI_SITE_NAME is not set: the one the catalogue began in. */
export const DEFAULT_SITE_NAME = '资阳区';

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  PUBLIC_BASE_URL: optional.pipe(z.url({ protocol: /^https?$/ }).optional()),
  GUJI_ADMIN_USER: z.string().regex(/^[A-Za-z0-9._-]{2,64}$/, 'must be 2–64 letters, digits, dots, underscores or hyphens').default('admin'),
  GUJI_ADMIN_PASSWORD: optional.pipe(PasswordSchema.optional()),
  GUJI_DEMO: z.enum(['0', '1'], { message: 'must be 0 (no demo catalogue) or 1' }).default('1'),
  MONGODB_URI: optional.pipe(
    z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a MongoDB connection string (mongodb:// or mongodb+srv://)').optional(),
  ),
  MEILI_URL: optional.pipe(z.url({ protocol: /^https?$/ }).optional()),
  MEILI_KEY: optional,
  GUJI_SESSION_HOURS: z.coerce.number().positive().max(24 * 90).default(12),
  GUJI_SIGNIN_PER_MINUTE: z.coerce.number().positive().max(10_000).default(DEFAULT_SIGN_IN_LIMITS.attemptsPerMinute),
  GUJI_SIGNIN_FREE_FAILURES: z.coerce.number().int().min(1).max(100).default(DEFAULT_SIGN_IN_LIMITS.freeFailures),
  GUJI_SIGNIN_MAX_WAIT_S: z.coerce.number().positive().max(24 * 3600).default(DEFAULT_SIGN_IN_LIMITS.maxDelaySeconds),
  GUJI_HASH_QUEUE: z.coerce.number().int().min(0).max(10_000).default(DEFAULT_HASH_QUEUE),
  GUJI_MAX_SCAN_MB: z.coerce.number().positive().max(100_000).default(500),
  GUJI_MAX_SHEET_MB: z.coerce.number().positive().max(10_000).default(200),
  GUJI_PIXEL_LIMIT: z.coerce.number().int().positive().default(200_000_000),
  GUJI_IMAGE_CACHE_MB: z.coerce.number().min(0).max(1_000_000).default(256),
  GUJI_IMAGE_RENDERS: z.coerce.number().int().min(1).max(1024).optional(),
  GUJI_IMAGE_RENDER_QUEUE: z.coerce.number().int().min(0).max(100_000).optional(),
  GUJI_IMAGE_RENDER_WAIT_SECONDS: z.coerce.number().positive().max(3600).optional(),
  UV_THREADPOOL_SIZE: z.coerce.number().int().min(1).max(1024).default(4),
  GUJI_VOCABULARY_FILE: optional,
  GUJI_MAX_UPLOAD_FILES: z.coerce.number().int().positive().max(100_000).default(1000),
  GUJI_MAX_UPLOAD_MB: z.coerce.number().positive().max(10_000_000).default(4096),
  GUJI_MAX_JSON_DEPTH: z.coerce.number().int().min(2).max(1000).default(32),
  GUJI_SHEET_MAX_ROWS: z.coerce.number().int().positive().default(1_000_000),
  GUJI_SHEET_MAX_COLUMNS: z.coerce.number().int().positive().max(16_384).default(1000),
  GUJI_SHEET_MAX_ROW_CHARS: z.coerce.number().int().positive().default(1_000_000),
  GUJI_SHEET_MAX_STRINGS: z.coerce.number().int().positive().default(5_000_000),
  GUJI_SHEET_MAX_STRING_CHARS: z.coerce.number().int().positive().default(100_000_000),
  GUJI_SHEET_MAX_UNZIPPED_MB: z.coerce.number().positive().default(2048),
  GUJI_SHEET_MAX_RATIO: z.coerce.number().min(10).max(2000).default(200),
  GUJI_SHEET_MAX_SECONDS: z.coerce.number().positive().default(300),
  // Under the 30 s grace of Kubernetes and systemd's 90 s; docker stop gives 10 s unless told `-t`.
  GUJI_SHUTDOWN_SECONDS: z.coerce.number().positive().max(3600).default(25),
  // Books from before 1912 are in the public domain: the Public Domain Mark says so.
  GUJI_RIGHTS: RightsUriSchema.default('http://creativecommons.org/publicdomain/mark/1.0/'),
  // The district (or library) whose census this is, as its collections and manifests name it.
  // At most 24 days: Node's timers hold 2^31 − 1 ms.
  GUJI_DUMP_HOURS: z.coerce.number().min(0).max(576).default(24),
  // Catalogue data (not the scans): CC0, as most library open-data dumps.
  GUJI_DATA_LICENSE: z.url({ protocol: /^https?$/ }).default('https://creativecommons.org/publicdomain/zero/1.0/'),
  GUJI_OAI_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  // A domain name, as the oai-identifier scheme asks (http://www.openarchives.org/OAI/2.0/guidelines-oai-identifier.htm).
  GUJI_OAI_REPOSITORY_ID: optional.pipe(z.string().regex(/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/, 'must be a domain name (letters, digits, hyphens and dots)').optional()),
  GUJI_OAI_REPOSITORY_NAME: optional.pipe(z.string().max(200).optional()),
  GUJI_OAI_ADMIN_EMAIL: optional.pipe(z.string().regex(/^\S+@(\S+\.)+\S+$/, 'must be an e-mail address (OAI-PMH Identify)').optional()),
  GUJI_SITE_NAME: z.string().trim().min(1, 'must not be blank').max(200).default(DEFAULT_SITE_NAME),
  GUJI_OCR: z.enum(['0', '1'], { message: 'must be 0 (no OCR of new scans) or 1' }).default('1'),
  // Each page read holds ~20 MB and one core; more than the cores only queues.
  GUJI_OCR_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  GUJI_TEXT_MAX_COLUMNS: z.coerce.number().int().min(1).max(10_000).default(DEFAULT_TEXT_LIMITS.maxColumns),
  GUJI_TEXT_MAX_CHARS: z.coerce.number().int().min(1).max(1_000_000).default(DEFAULT_TEXT_LIMITS.maxChars),
  // Each candidate is read whole (its keys, ~1 kB for a page of 300 characters) and checked in this process.
  GUJI_TEXT_MEILI_MAX_PAGES: z.coerce.number().int().min(100).max(1_000_000).default(DEFAULT_TEXT_MEILI_MAX_PAGES),
  GUJI_EXHIBIT_FETCH_SECONDS: z.coerce.number().positive().max(120).default(10),
  GUJI_EXHIBIT_FETCH_MB: z.coerce.number().positive().max(100).default(4),
});

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv): Readonly<Config> {
  const problems: string[] = [];
  const parsed = EnvSchema.safeParse(env, { reportInput: true });
  if (!parsed.success) {
    problems.push(...fieldProblems(parsed.error).map((p) => `${p.field}: ${p.problem}`));
  }
  let vocabulary = new Vocabulary(DEFAULT_VOCABULARY_DATA);
  const vocabularyFile = env.GUJI_VOCABULARY_FILE || undefined;
  if (vocabularyFile) {
    try {
      const result = VocabularySchema.safeParse(JSON.parse(readFileSync(vocabularyFile, 'utf8')), { reportInput: true });
      if (result.success) vocabulary = new Vocabulary(result.data);
      else problems.push(...fieldProblems(result.error).map((p) => `GUJI_VOCABULARY_FILE ${vocabularyFile}: ${p.field}: ${p.problem}`));
    } catch (e) {
      problems.push(`GUJI_VOCABULARY_FILE: cannot read ${vocabularyFile} as JSON (${(e as Error).message})`);
    }
  }
  // The first admin's password meets the same policy as every other (NIST SP 800-63B §5.1.1.2).
  // (Checked apart from the schema, so that it is reported with the other problems.)
  if (env.GUJI_ADMIN_PASSWORD) {
    problems.push(...passwordProblems(env.GUJI_ADMIN_PASSWORD, env.GUJI_ADMIN_USER || 'admin').map((p) => `GUJI_ADMIN_PASSWORD: ${p}`));
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    dataDir: path.resolve(e.DATA_DIR),
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    adminUser: e.GUJI_ADMIN_USER,
    adminPassword: e.GUJI_ADMIN_PASSWORD,
    demo: e.GUJI_DEMO === '1',
    mongodbUri: e.MONGODB_URI,
    meiliUrl: e.MEILI_URL,
    meiliKey: e.MEILI_KEY,
    sessionHours: e.GUJI_SESSION_HOURS,
    signIn: { attemptsPerMinute: e.GUJI_SIGNIN_PER_MINUTE, freeFailures: e.GUJI_SIGNIN_FREE_FAILURES, maxDelaySeconds: e.GUJI_SIGNIN_MAX_WAIT_S },
    hashQueue: e.GUJI_HASH_QUEUE,
    maxScanBytes: Math.round(e.GUJI_MAX_SCAN_MB * 2 ** 20),
    maxSheetBytes: Math.round(e.GUJI_MAX_SHEET_MB * 2 ** 20),
    pixelLimit: e.GUJI_PIXEL_LIMIT,
    imageCacheBytes: Math.round(e.GUJI_IMAGE_CACHE_MB * 2 ** 20),
    inputLimits: inputLimitsOf(e),
    shutdownSeconds: e.GUJI_SHUTDOWN_SECONDS,
    imageRenders: imageRenderLimits(
      { renders: e.GUJI_IMAGE_RENDERS, queue: e.GUJI_IMAGE_RENDER_QUEUE, waitSeconds: e.GUJI_IMAGE_RENDER_WAIT_SECONDS },
      availableParallelism(),
      e.UV_THREADPOOL_SIZE,
    ),
    rights: e.GUJI_RIGHTS,
    siteName: e.GUJI_SITE_NAME,
    vocabulary,
    vocabularyFile,
    openDataDir: path.join(path.resolve(e.DATA_DIR), 'open-data'),
    renderingsDir: path.join(path.resolve(e.DATA_DIR), 'renderings'),
    dumpHours: e.GUJI_DUMP_HOURS,
    dataLicense: e.GUJI_DATA_LICENSE,
    oai: oaiSettingsOf(e),
    ocr: { auto: e.GUJI_OCR === '1', concurrency: e.GUJI_OCR_CONCURRENCY ?? availableParallelism() },
    textLimits: { maxColumns: e.GUJI_TEXT_MAX_COLUMNS, maxChars: e.GUJI_TEXT_MAX_CHARS },
    textSearchMaxCandidates: e.GUJI_TEXT_MEILI_MAX_PAGES,
    exhibitFetch: { timeoutMs: e.GUJI_EXHIBIT_FETCH_SECONDS * 1000, maxBytes: Math.round(e.GUJI_EXHIBIT_FETCH_MB * 2 ** 20) },
  });
}

function inputLimitsOf(e: z.infer<typeof EnvSchema>): InputLimits {
  return {
    maxUploadFiles: e.GUJI_MAX_UPLOAD_FILES,
    maxUploadBytes: Math.round(e.GUJI_MAX_UPLOAD_MB * 2 ** 20),
    maxJsonDepth: e.GUJI_MAX_JSON_DEPTH,
    sheet: {
      maxRows: e.GUJI_SHEET_MAX_ROWS,
      maxColumns: e.GUJI_SHEET_MAX_COLUMNS,
      maxRowChars: e.GUJI_SHEET_MAX_ROW_CHARS,
      maxStrings: e.GUJI_SHEET_MAX_STRINGS,
      maxStringChars: e.GUJI_SHEET_MAX_STRING_CHARS,
      maxUnzippedBytes: Math.round(e.GUJI_SHEET_MAX_UNZIPPED_MB * 2 ** 20),
      maxRatio: e.GUJI_SHEET_MAX_RATIO,
      maxSeconds: e.GUJI_SHEET_MAX_SECONDS,
    },
  };
}

function oaiSettingsOf(e: z.infer<typeof EnvSchema>): OaiSettings {
  const defaults = defaultOaiSettings(e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`);
  return {
    pageSize: e.GUJI_OAI_PAGE_SIZE,
    repositoryId: e.GUJI_OAI_REPOSITORY_ID ?? defaults.repositoryId,
    repositoryName: e.GUJI_OAI_REPOSITORY_NAME ?? defaults.repositoryName,
    adminEmail: e.GUJI_OAI_ADMIN_EMAIL ?? defaults.adminEmail,
  };
}

/** The limits with every GUJI_* variable unset: what tests and tools start from. */
export const DEFAULT_INPUT_LIMITS: Readonly<InputLimits> = inputLimitsOf(EnvSchema.parse({}));
