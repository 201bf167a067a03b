// The one place where errors become HTTP responses (spec §6): `{"detail": …}` JSON always,
// 422 naming the field for validation failures, 500 without internals for the unexpected.
import type { FastifyError, FastifyInstance } from "fastify";
import { type ErrorCode, ServiceError } from "../src/errors.ts";

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  validation_error: 422,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  thread_busy: 409,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  not_implemented: 501,
  unavailable: 503,
};

interface ValidationIssue {
  instancePath: string;
  message?: string;
  keyword: string;
  params?: Record<string, unknown>;
}

function fieldOf(issue: ValidationIssue): string {
  const path = issue.instancePath.split("/").filter(Boolean);
  const missing = issue.params?.missingProperty;
  if (typeof missing === "string") path.push(missing);
  return path.join(".");
}

function describeIssue(issue: ValidationIssue): string {
  const allowed = issue.params?.allowedValues;
  return Array.isArray(allowed) ? `must be one of ${allowed.join(", ")}` : (issue.message ?? "is invalid");
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ServiceError) {
      return reply.status(STATUS_BY_CODE[error.code]).send({ detail: error.message, code: error.code, ...(error.param ? { param: error.param } : {}) });
    }
    if (error.validation) {
      const where = error.validationContext ?? "body";
      const issues = error.validation as ValidationIssue[];
      const first = issues[0]!;
      const param = fieldOf(first) || where;
      return reply.status(422).send({
        detail: `${param}: ${describeIssue(first)}`,
        code: "validation_error",
        param,
        errors: issues.map((issue) => ({ loc: [where, ...fieldOf(issue).split(".").filter(Boolean)], msg: describeIssue(issue), type: issue.keyword })),
      });
    }
    const status = error.statusCode ?? 500;
    if (status === 413) {
      return reply.status(413).send({ detail: `Request body is larger than the server's limit of ${app.initialConfig.bodyLimit} bytes`, code: "payload_too_large" });
    }
    if (status >= 400 && status < 500) {
      return reply.status(status).send({ detail: error.message, code: error.code });
    }
    request.log.error({ err: error }, "request failed");
    return reply.status(500).send({ detail: "Internal server error" });
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send({ detail: `Not found: ${request.method} ${request.url}` }));
}
