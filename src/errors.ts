// The one error type of the domain. Services throw it with a code; server/errors.ts alone
// turns the code into an HTTP status (style: one error type, mapped in one place).

export type ErrorCode =
  | "validation_error" // 422
  | "bad_request" // 400
  | "unauthorized" // 401: custom auth did not authenticate the request
  | "forbidden" // 403: custom auth refused the action, or a cross-origin write CORS does not allow
  | "not_found" // 404
  | "thread_busy" // 409: a run exists and the strategy is reject
  | "conflict" // 409: duplicate id, busy thread on state update
  | "payload_too_large" // 413
  | "unsupported_media_type" // 415: a body that is not JSON on a JSON route
  | "not_implemented" // 501
  | "unavailable"; // 503: a dependency (database, Temporal) is down

export class ServiceError extends Error {
  override name = "ServiceError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For validation errors: the offending field. */
    readonly param?: string,
  ) {
    super(message);
  }
}

export const notFound = (message: string) => new ServiceError("not_found", message);
export const invalid = (param: string, message: string) =>
  new ServiceError("validation_error", `${param}: ${message}`, param);
export const threadNotFound = (threadId: string) => notFound(`Thread with ID ${threadId} not found`);
export const runNotFound = () => notFound("Run not found");
