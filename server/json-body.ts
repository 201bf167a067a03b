// Request bodies (spec §3.1): JSON; an empty body is `{}`. Any other content type is refused
// with 415 (issue 13): a browser sends `text/plain` and form bodies cross-origin without a
// preflight, so reading them as JSON would let any web page write to the API.
import type { FastifyInstance } from "fastify";
import { invalid, ServiceError } from "../src/errors.ts";

export function registerJsonBodies(app: FastifyInstance): void {
  const parse = (_request: unknown, body: string, done: (err: Error | null, value?: unknown) => void) => {
    if (body.trim() === "") return done(null, {});
    try {
      done(null, JSON.parse(body));
    } catch (err) {
      done(invalid("body", `malformed JSON (${(err as Error).message})`));
    }
  };
  app.removeContentTypeParser(["application/json", "text/plain"]);
  app.addContentTypeParser("application/json", { parseAs: "string" }, parse);
  app.addContentTypeParser("*", (request, _payload, done) => {
    const type = request.headers["content-type"] ?? "none";
    done(new ServiceError("unsupported_media_type", `Content-Type ${type} is not accepted: send the body as application/json`));
  });
}
