// Custom auth on every request (issue 13): the project's `authenticate` turns the request into
// the Caller that routes hand to the services; a refusal is answered before the body is read.
// Without `auth` in langgraph.json every request is ANONYMOUS, i.e. served as before.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { ANONYMOUS, type Caller } from "../../src/auth/caller.ts";
import type { CustomAuth } from "../../src/auth/custom-auth.ts";

declare module "fastify" {
  interface FastifyRequest {
    caller: Caller;
  }
}

/** Methods a fetch Request cannot carry; no route serves them, so they are answered 404 unauthenticated. */
const UNROUTABLE_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);

/** Routes that reveal nothing of anyone's data: health, server info and the API's own docs. */
function isPublic(request: FastifyRequest): boolean {
  const path = request.url.split("?", 1)[0]!;
  // Preflights carry no credentials (browsers never send them); CORS answers those.
  if (request.method === "OPTIONS" || UNROUTABLE_METHODS.has(request.method)) return true;
  return ["/ok", "/info", "/openapi.json"].includes(path) || path === "/docs" || path.startsWith("/docs/");
}

/** The request as `authenticate` expects it (a fetch `Request`): method, URL and headers, no body. */
function webRequest(request: FastifyRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return new Request(new URL(request.url, `${request.protocol}://${request.host}`), { method: request.method, headers });
}

export function registerAuth(app: FastifyInstance, auth: CustomAuth | undefined): void {
  app.decorateRequest("caller", null as unknown as Caller);
  app.addHook("onRequest", async (request) => {
    request.caller = auth && !isPublic(request) ? await auth.authenticate(webRequest(request)) : ANONYMOUS;
  });
}
