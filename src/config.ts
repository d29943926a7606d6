/**
 * Configuration from the environment (../shared/API.md, Running), validated once at start.
 * Every problem is reported together, so an operator fixes them in one go.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { RightsUriSchema } from './domain/census-record.js';
import { Vocabulary, VocabularySchema, DEFAULT_VOCABULARY_DATA } from './domain/vocabulary.js';
import { fieldProblems } from './domain/validation.js';
import type { QueueLimits } from './services/bounded-queue.js';

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
  /** Largest master accepted, in bytes. */
  maxScanBytes: number;
  maxSheetBytes: number;
  /** Masters with more pixels are refused (decompression bombs). */
  pixelLimit: number;
  /** Memory for decoded pyramid levels kept by the image service (0: none). */
  imageCacheBytes: number;
  /** IIIF image requests rendered on demand (no pre-rendered file): at once, waiting, longest wait. */
  imageRenders: QueueLimits;
  /** Rights of the published images and manifests (a Creative Commons or RightsStatements.org URI). */
  rights: string;
  vocabulary: Vocabulary;
  vocabularyFile: string | undefined;
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

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  PUBLIC_BASE_URL: optional.pipe(z.url({ protocol: /^https?$/ }).optional()),
  GUJI_ADMIN_USER: z.string().regex(/^[A-Za-z0-9._-]{2,64}$/, 'must be 2–64 letters, digits, dots, underscores or hyphens').default('admin'),
  GUJI_ADMIN_PASSWORD: optional.pipe(z.string().min(10, 'must be at least 10 characters').optional()),
  GUJI_DEMO: z.enum(['0', '1'], { message: 'must be 0 (no demo catalogue) or 1' }).default('1'),
  MONGODB_URI: optional.pipe(
    z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a MongoDB connection string (mongodb:// or mongodb+srv://)').optional(),
  ),
  MEILI_URL: optional.pipe(z.url({ protocol: /^https?$/ }).optional()),
  MEILI_KEY: optional,
  GUJI_SESSION_HOURS: z.coerce.number().positive().max(24 * 90).default(12),
  GUJI_MAX_SCAN_MB: z.coerce.number().positive().max(100_000).default(500),
  GUJI_MAX_SHEET_MB: z.coerce.number().positive().max(10_000).default(200),
  GUJI_PIXEL_LIMIT: z.coerce.number().int().positive().default(200_000_000),
  GUJI_IMAGE_CACHE_MB: z.coerce.number().min(0).max(1_000_000).default(256),
  GUJI_IMAGE_RENDERS: z.coerce.number().int().min(1).max(1024).optional(),
  GUJI_IMAGE_RENDER_QUEUE: z.coerce.number().int().min(0).max(100_000).optional(),
  GUJI_IMAGE_RENDER_WAIT_SECONDS: z.coerce.number().positive().max(3600).optional(),
  UV_THREADPOOL_SIZE: z.coerce.number().int().min(1).max(1024).default(4),
  GUJI_VOCABULARY_FILE: optional,
  // Books from before 1912 are in the public domain: the Public Domain Mark says so.
  GUJI_RIGHTS: RightsUriSchema.default('http://creativecommons.org/publicdomain/mark/1.0/'),
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
    maxScanBytes: Math.round(e.GUJI_MAX_SCAN_MB * 2 ** 20),
    maxSheetBytes: Math.round(e.GUJI_MAX_SHEET_MB * 2 ** 20),
    pixelLimit: e.GUJI_PIXEL_LIMIT,
    imageCacheBytes: Math.round(e.GUJI_IMAGE_CACHE_MB * 2 ** 20),
    imageRenders: imageRenderLimits(
      { renders: e.GUJI_IMAGE_RENDERS, queue: e.GUJI_IMAGE_RENDER_QUEUE, waitSeconds: e.GUJI_IMAGE_RENDER_WAIT_SECONDS },
      availableParallelism(),
      e.UV_THREADPOOL_SIZE,
    ),
    rights: e.GUJI_RIGHTS,
    vocabulary,
    vocabularyFile,
  });
}
