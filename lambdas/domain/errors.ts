/**
 * Errors the API answers with. Each class carries its HTTP status so that one
 * place (the handler's response mapper) turns any of them into
 * `{ code, message, retryable, retryAfterSec? }` — never by matching names.
 */
export class ChatError extends Error {
  readonly status: number;
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterSec?: number;
  /**
   * Whether an edge may keep this answer for its second (edge routes only):
   * false for a refusal that stops holding within that second.
   */
  readonly cacheable: boolean;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { retryable?: boolean; retryAfterSec?: number; cacheable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.cacheable = options.cacheable ?? true;
    if (options.retryAfterSec !== undefined) this.retryAfterSec = options.retryAfterSec;
  }
}

export class BadRequestError extends ChatError {
  constructor(code: string, message: string, cause?: unknown) {
    super(400, code, message, { cause });
  }
}

export class UnauthorizedError extends ChatError {
  constructor(message: string, cause?: unknown) {
    super(401, 'unauthorized', message, { cause });
  }
}

export class ForbiddenError extends ChatError {
  constructor(code: string, message: string) {
    super(403, code, message);
  }
}

export class NotFoundError extends ChatError {
  constructor(code: string, message: string) {
    super(404, code, message);
  }
}

export class ConflictError extends ChatError {
  constructor(code: string, message: string, retryable = false) {
    super(409, code, message, { retryable });
  }
}

export class PayloadTooLargeError extends ChatError {
  constructor(message: string) {
    super(413, 'payload_too_large', message);
  }
}

export class UnsupportedMediaTypeError extends ChatError {
  constructor(message: string) {
    super(415, 'unsupported_media_type', message);
  }
}

export class UnprocessableError extends ChatError {
  constructor(code: string, message: string) {
    super(422, code, message);
  }
}

export class RateLimitedError extends ChatError {
  constructor(code: string, message: string, retryAfterSec: number) {
    super(429, code, message, { retryable: true, retryAfterSec });
  }
}

export class UnavailableError extends ChatError {
  constructor(message: string, cause?: unknown) {
    super(503, 'unavailable', message, { retryable: true, retryAfterSec: 1, cause });
  }
}
