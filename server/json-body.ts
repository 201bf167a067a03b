// Request bodies (spec §3.1): JSON; an empty body is `{}`; `text/plain` is read as JSON too.
import type { FastifyInstance } from "fastify";
import { invalid } from "../src/errors.ts";

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
  app.addContentTypeParser(["application/json", "text/plain"], { parseAs: "string" }, parse);
}
