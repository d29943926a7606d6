/**
 * Uploads: `uploadReceiver` is the one way a route takes multipart files. Its storage engine
 * writes each uploaded file into the data directory's receiving folder, and stops writing a file
 * that passes the size limit instead of failing the whole request: the scan pipeline then
 * refuses that one file with its reason while the others go on.
 *
 * The request as a whole is bounded too (GUJI_MAX_UPLOAD_MB, GUJI_MAX_UPLOAD_FILES): one over its
 * bytes is refused with 413 — before a byte is read when its Content-Length says so, otherwise
 * as soon as its files pass the total — and multer then removes every file it had written, so
 * nothing of it stays in receiving/.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import multer, { type StorageEngine } from 'multer';
import { AppError, BadRequestError, storageFault } from '../domain/errors.js';

interface ReceivedFile {
  path: string;
  size: number;
  tooLarge: boolean;
}

const mib = (bytes: number) => `${+(bytes / 2 ** 20).toFixed(2)} MiB`;

/** 413 (RFC 9110 §15.5.14): the request brings more files or bytes than one upload may. */
export class UploadTooLargeError extends AppError {
  constructor(problem: string, variable: string) {
    super(413, 'upload_too_large', `The upload is larger than the service takes in one request: ${problem} (${variable}); send it in parts.`, [
      { field: 'files', problem: `${problem} (${variable})` },
    ]);
  }
}

const overTotal = (maxRequestBytes: number) => new UploadTooLargeError(`more than ${mib(maxRequestBytes)} in all`, 'GUJI_MAX_UPLOAD_MB');

/** Refuses, unread, a request whose declared length is over the total (Node then drains what is sent). */
function refuseDeclaredOversize(req: Request, maxRequestBytes: number): void {
  const declared = Number(req.get('content-length'));
  if (Number.isFinite(declared) && declared > maxRequestBytes) throw overTotal(maxRequestBytes);
}

/**
 * Form fields beside the files: uploads have none worth more than a few short values, and
 * multer keeps them in memory (busboy's default would allow any number of 1 MB fields).
 */
const FIELD_LIMITS = { fields: 20, fieldSize: 64 * 1024 } as const;

/** What multer or the storage reported, as an error of the one family. */
function uploadError(error: unknown, maxFiles: number): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof multer.MulterError && error.code === 'LIMIT_FILE_COUNT') {
    return new UploadTooLargeError(`more than ${maxFiles} files`, 'GUJI_MAX_UPLOAD_FILES');
  }
  // A full or failing disk while receiving is ours, not the client's (507/503, no path).
  const fault = storageFault(error);
  if (fault) return fault;
  return new BadRequestError('bad_upload', `The upload could not be read: ${(error as Error).message}`);
}

function receivingStorage(receivingPath: (name: string) => string, maxBytes: number, maxRequestBytes: number): StorageEngine {
  // The bytes of each request's files so far (files of one request arrive one after another).
  const received = new WeakMap<Request, number>();
  return {
    _handleFile(req: Request, file, callback) {
      const target = receivingPath(path.extname(file.originalname));
      let size = 0;
      let tooLarge = false;
      const limit = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          const total = (received.get(req) ?? 0) + chunk.length;
          received.set(req, total);
          if (total > maxRequestBytes) return done(overTotal(maxRequestBytes));
          // Past the limit the rest is read and dropped, so the request itself completes.
          if (size > maxBytes) tooLarge = true;
          done(null, tooLarge ? undefined : chunk);
        },
      });
      mkdir(path.dirname(target), { recursive: true })
        .then(() => pipeline(file.stream, limit, createWriteStream(target)))
        .then(async () => {
          if (tooLarge) await unlink(target);
          callback(null, { path: target, size, tooLarge } as Partial<Express.Multer.File> & ReceivedFile);
        })
        .catch(async (e: Error) => {
          await unlink(target).catch(() => {});
          callback(e);
        });
    },
    _removeFile(_req: Request, file, callback) {
      unlink(file.path).then(() => callback(null), () => callback(null));
    },
  };
}

/** A file as received: multer's description and the storage's (`tooLarge`: refused, already removed). */
export type UploadedFile = Express.Multer.File & ReceivedFile;

export interface UploadLimits {
  /** Bytes of one file (past them the file is marked tooLarge, not written). */
  maxFileBytes: number;
  /** Bytes of the whole request (GUJI_MAX_UPLOAD_MB). */
  maxRequestBytes: number;
  /** Files in one request (GUJI_MAX_UPLOAD_FILES, or the route's own count). */
  maxFiles: number;
}

/**
 * What the route's work receives: the files by multipart field, and `handOver()`, for work that
 * goes on after the answer (a job): it returns the function that removes the files, which that
 * work calls when done; the receiver then leaves them.
 */
export interface Upload {
  files: Record<string, UploadedFile[]>;
  handOver(): () => Promise<void>;
}

/**
 * Receives a request's files into receiving/ and runs `work` on them. Every file received is
 * removed once `work` settles — answered, refused or failed — unless `work` handed them over and
 * succeeded. A request over the limits is refused with 413 (before a byte is read when its
 * Content-Length says so), and what multer or the disk reports becomes an error of the one family.
 */
export function uploadReceiver(receivingPath: (name: string) => string, limits: UploadLimits) {
  const { maxFileBytes, maxRequestBytes, maxFiles } = limits;
  const upload = multer({
    storage: receivingStorage(receivingPath, maxFileBytes, maxRequestBytes),
    // busboy decodes non-ASCII file names as latin1 unless told: 金華府志.tif would arrive garbled.
    defParamCharset: 'utf8',
    limits: { files: maxFiles, ...FIELD_LIMITS },
  });
  return async (req: Request, res: Response, fields: { name: string; maxCount: number }[], work: (upload: Upload) => Promise<void>) => {
    refuseDeclaredOversize(req, maxRequestBytes);
    const error = await new Promise<unknown>((resolve) => upload.fields(fields)(req, res, resolve));
    const files = (req.files ?? {}) as Record<string, UploadedFile[]>;
    let removed: Promise<void> | undefined;
    // Once, whoever asks first (the receiver or the job that took the files); a file marked
    // tooLarge was removed by the storage already.
    const remove = () => (removed ??= Promise.all(
      Object.values(files).flat().filter((f) => f.path && !f.tooLarge).map((f) => unlink(f.path).catch(() => {})),
    ).then(() => {}));
    let handedOver = false;
    try {
      if (error) throw uploadError(error, maxFiles);
      await work({ files, handOver: () => {
        handedOver = true;
        return remove;
      } });
    } catch (e) {
      await remove();
      throw e;
    }
    if (!handedOver) await remove();
  };
}
