/**
 * A multer storage engine that writes each uploaded file into the data directory's receiving
 * folder, and stops writing a file that passes the size limit instead of failing the whole
 * request: the scan pipeline then refuses that one file with its reason while the others go on.
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
import type { Request } from 'express';
import multer, { type StorageEngine } from 'multer';
import { AppError, BadRequestError, storageFault } from '../domain/errors.js';

export interface ReceivedFile {
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
export function refuseDeclaredOversize(req: Request, maxRequestBytes: number): void {
  const declared = Number(req.get('content-length'));
  if (Number.isFinite(declared) && declared > maxRequestBytes) throw overTotal(maxRequestBytes);
}

/**
 * Form fields beside the files: uploads have none worth more than a few short values, and
 * multer keeps them in memory (busboy's default would allow any number of 1 MB fields).
 */
export const FIELD_LIMITS = { fields: 20, fieldSize: 64 * 1024 } as const;

/** What multer or the storage reported, as an error of the one family. */
export function uploadError(error: unknown, maxFiles: number): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof multer.MulterError && error.code === 'LIMIT_FILE_COUNT') {
    return new UploadTooLargeError(`more than ${maxFiles} files`, 'GUJI_MAX_UPLOAD_FILES');
  }
  // A full or failing disk while receiving is ours, not the client's (507/503, no path).
  const fault = storageFault(error);
  if (fault) return fault;
  return new BadRequestError('bad_upload', `The upload could not be read: ${(error as Error).message}`);
}

export function receivingStorage(receivingPath: (name: string) => string, maxBytes: number, maxRequestBytes: number): StorageEngine {
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
