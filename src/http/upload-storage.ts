/**
 * A multer storage engine that writes each uploaded file into the data directory's receiving
 * folder, and stops writing a file that passes the size limit instead of failing the whole
 * request: the scan pipeline then refuses that one file with its reason while the others go on.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';

export interface ReceivedFile {
  path: string;
  size: number;
  tooLarge: boolean;
}

export function receivingStorage(receivingPath: (name: string) => string, maxBytes: number): StorageEngine {
  return {
    _handleFile(_req: Request, file, callback) {
      const target = receivingPath(path.extname(file.originalname));
      let size = 0;
      let tooLarge = false;
      const limit = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
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
        .catch((e: Error) => {
          unlink(target).catch(() => {});
          callback(e);
        });
    },
    _removeFile(_req: Request, file, callback) {
      unlink(file.path).then(() => callback(null), () => callback(null));
    },
  };
}
