/**
 * The one error family of the service. Every failure a client can cause is an AppError with an
 * HTTP status and a stable `code`; the error middleware (src/http/errors.ts) is the only place
 * that turns them into `{ error: { code, message, details } }` (docs/API.md, Conventions).
 */
export interface FieldProblem {
  /** The key at fault, dotted for nested keys (`damage.grade`), as the client sent it. */
  field: string;
  problem: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.name = new.target.name;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  /** Sent as `Retry-After` (RFC 9110 §10.2.3) with 429 and 503 answers. */
  readonly retryAfterSeconds: number | undefined;
}

export class ValidationError extends AppError {
  constructor(details: FieldProblem[], message = 'The request has invalid fields.') {
    super(400, 'validation_failed', message, details);
  }
}

/** 413 (RFC 9110 §15.5.14): the upload is larger than the service takes. */
export class TooLargeError extends AppError {
  constructor(message: string) {
    super(413, 'file_too_large', message);
  }
}

export class BadRequestError extends AppError {
  constructor(code: string, message: string) {
    super(400, code, message);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Sign in first: send Authorization: Bearer <token> (POST /api/session).') {
    super(401, 'unauthenticated', message);
  }
}

export class ForbiddenError extends AppError {
  /** `code`: a more precise reason than `forbidden` when a client can act on it. */
  constructor(message: string, code = 'forbidden') {
    super(403, code, message);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super(404, 'not_found', `${what} was not found.`);
  }
}

export class AlreadyExistsError extends AppError {
  constructor(what: string, field: string) {
    super(409, 'already_exists', `${what} already exists.`, [{ field, problem: 'already exists' }]);
  }
}

export class InvalidTransitionError extends AppError {
  constructor(message: string, details: FieldProblem[] = []) {
    super(409, 'invalid_transition', message, details);
  }
}

export class VersionMismatchError extends AppError {
  constructor(currentETag?: string) {
    super(
      412,
      'version_mismatch',
      'The record was changed by someone else since you read it; read it again and reapply your change.' +
        (currentETag ? ` Current ETag: ${currentETag}.` : ''),
    );
  }
}

export class PreconditionRequiredError extends AppError {
  constructor() {
    // RFC 6585 §3: 428 tells the client that the update must be conditional.
    super(428, 'if_match_required', 'Updates must carry If-Match with the ETag of the version you read.');
  }
}

/** 429 (RFC 6585 §4): too many attempts from this client or at this account; try after a while. */
export class RateLimitedError extends AppError {
  constructor(message: string, retryAfterSeconds: number) {
    super(429, 'rate_limited', message, [], { retryAfterSeconds });
  }
}

/** 503 (RFC 9110 §15.6.4): the service is at capacity for this kind of work just now; not the client's fault. */
export class OverloadedError extends AppError {
  constructor(message: string, retryAfterSeconds: number) {
    super(503, 'overloaded', message, [], { retryAfterSeconds });
  }
}

/** 503: the service is shutting down; the work was not taken, or stopped at a row or file boundary. */
export class ServiceStoppingError extends AppError {
  constructor(message: string) {
    super(503, 'service_stopping', message, [], { retryAfterSeconds: 60 });
  }
}

/** 507 (RFC 4918 §11.5): the data directory is full; nothing was written. */
export class StorageFullError extends AppError {
  constructor(cause?: unknown) {
    super(507, 'storage_full', 'The service has no room left to store this; nothing was written. The operator has been told.', [], { cause });
  }
}

/** 503: the data directory cannot be written or read just now (read-only, I/O error, no file handles). */
export class StorageUnavailableError extends AppError {
  constructor(cause?: unknown) {
    super(503, 'storage_unavailable', 'The service cannot reach its storage just now; nothing was written. Try again later.', [], {
      cause,
      retryAfterSeconds: 60,
    });
  }
}

const FULL = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);
const UNAVAILABLE = new Set(['EROFS', 'EIO', 'EMFILE', 'ENFILE', 'SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_BUSY']);

/**
 * The storage fault behind an error from the file system or SQLite, as the client may see it:
 * no path, no errno text (those name the server's files; the log keeps them). Null when the
 * error is not a storage fault.
 */
export function storageFault(error: unknown): AppError | null {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const base = code.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1');
  if (FULL.has(base)) return new StorageFullError(error);
  if (UNAVAILABLE.has(base)) return new StorageUnavailableError(error);
  return null;
}

/**
 * The file cannot be read as a sheet of that format at all (not a single row problem): not a CSV
 * or workbook, truncated, malformed XML. The message says what, for the person who sent it.
 */
export class UnreadableSheetError extends AppError {
  constructor(problem: string) {
    super(400, 'unreadable_sheet', `The file cannot be read: ${problem}`);
  }
}

/**
 * The sheet passes one of the service's bounds on what a sheet may hold (rows, columns, characters,
 * decompressed size, reading time): 413 (RFC 9110 §15.5.14), naming the limit and its variable.
 */
export class SheetTooLargeError extends AppError {
  constructor(problem: string, variable: string) {
    super(413, 'sheet_too_large', `The sheet is larger than the service reads: ${problem} (${variable}); split it.`, [
      { field: 'file', problem: `${problem} (${variable})` },
    ]);
  }
}

/** A census sheet lacks headings every sheet must have: each is named as a field at fault. */
export class MissingHeadingsError extends AppError {
  constructor(missing: string[]) {
    super(400, 'missing_headings', `The sheet lacks required headings: ${missing.join(', ')}.`, missing.map((h) => ({ field: h, problem: 'required heading missing' })));
  }
}

/** A master cannot be used as a page: not an image, truncated, or over the pixel limit. */
export class UnusableImageError extends AppError {
  constructor(problem: string) {
    super(400, 'unusable_image', problem);
  }
}

/** An image cannot be read for text recognition: not an image, truncated, or over the pixel limit. */
export class UnreadableImageError extends AppError {
  constructor(problem: string, options?: { cause?: unknown }) {
    super(400, 'unreadable_image', problem, [], options);
  }
}

/**
 * A IIIF Image API request the service cannot answer: bad syntax or impossible values
 * (https://iiif.io/api/image/3.0/#7-server-responses: 400 Bad Request).
 */
export class ImageRequestError extends AppError {
  constructor(message: string) {
    super(400, 'bad_image_request', message);
  }
}

/**
 * A valid IIIF Image API request for a format of §4.5 this service does not make (tif, gif,
 * jp2, pdf): §7.1, "501 Not Implemented: The server received a valid IIIF request that is
 * not implemented" — not a 400, which says the request is wrong.
 */
export class ImageFormatNotServedError extends AppError {
  constructor(message: string) {
    super(501, 'image_format_not_served', message);
  }
}
