/**
 * TaskRouter's error body: `{ code, message, more_info, status }`. Every refusal at the edge
 * is one of these, so clients written for TaskRouter read our errors unchanged.
 */
export class TaskRouterError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    /** HTTP headers the answer carries besides the body (`Retry-After` on a 429, `Allow` on a 405). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'TaskRouterError';
  }

  toBody(): TaskRouterErrorBody {
    return { code: this.code, message: this.message, more_info: `https://www.twilio.com/docs/errors/${this.code}`, status: this.status };
  }
}

export interface TaskRouterErrorBody {
  readonly code: number;
  readonly message: string;
  readonly more_info: string;
  readonly status: number;
}

/** The Twilio platform codes we answer with (docs/api-errors.md says when each is used). */
export const ErrorCodes = {
  invalidParameter: 20001,
  invalidFriendlyName: 20002,
  authenticationFailed: 20003,
  methodNotAllowed: 20004,
  pageSizeTooLarge: 20007,
  notFound: 20404,
  conflict: 20409,
  tooLarge: 20413,
  /** Ours, in the platform's 20<status> pattern: Twilio documents no code for HTTP 415. */
  unsupportedMediaType: 20415,
  tooManyRequests: 20429,
  internal: 20500,
  unavailable: 20503,
} as const;

export const badRequest = (message: string) => new TaskRouterError(400, ErrorCodes.invalidParameter, message);
export const notFound = (message = 'The requested resource was not found') => new TaskRouterError(404, ErrorCodes.notFound, message);
export const conflict = (message: string) => new TaskRouterError(409, ErrorCodes.conflict, message);
/** If-Match named a version other than the current one. */
export const versionMismatch = (current: number) =>
  new TaskRouterError(412, ErrorCodes.conflict, `The resource has changed: If-Match does not match its current version ${current}`);
