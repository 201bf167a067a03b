// `http.app` of langgraph.json (issue 12): the user's app (anything with a Fetch-API
// `fetch(request)`, which is what a Hono app is) is served next to ours the way the official JS
// server mounts it: after CORS, before our routes, so its routes shadow ours and its middleware
// sees every request. A request it does not route falls through to ours with its body intact.
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ServiceError } from "../../src/errors.ts";
import type { HttpConfig } from "../../src/graphs/langgraph-json.ts";

interface FetchApp {
  fetch(request: Request): Response | Promise<Response>;
  /** Hono: the answer when no route matched, which is where ours take over. */
  notFound?(handler: () => Response): unknown;
}

export class CustomAppLoadError extends Error {
  override name = "CustomAppLoadError";
}

export async function loadCustomApp(spec: NonNullable<HttpConfig["app"]>): Promise<FetchApp> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(spec.file).href)) as Record<string, unknown>;
  } catch (err) {
    throw new CustomAppLoadError(`http.app failed to load from ${spec.file}: ${(err as Error).message}`);
  }
  const app = module[spec.exportName] as FetchApp | undefined;
  if (!app || typeof app.fetch !== "function") {
    throw new CustomAppLoadError(`http.app: export "${spec.exportName}" of ${spec.file} is not an app with a fetch(request) method`);
  }
  return app;
}

export function registerCustomRoutes(app: FastifyInstance, custom: FetchApp): void {
  // Responses that mean "not mine". An app without Hono's notFound hook says so with a 404.
  const fallThrough = new WeakSet<Response>();
  const isHono = typeof custom.notFound === "function";
  custom.notFound?.(() => {
    const response = new Response(null, { status: 404 });
    fallThrough.add(response);
    return response;
  });
  const limit = app.initialConfig.bodyLimit ?? 1024 * 1024;

  app.addHook("preParsing", async (request, reply, payload) => {
    const body = await readBody(payload, limit);
    const response = await custom.fetch(toFetchRequest(request, body));
    if (fallThrough.has(response) || (!isHono && response.status === 404)) return Readable.from(body.length > 0 ? [body] : []);
    await sendFetchResponse(reply, response);
    return payload;
  });
}

async function readBody(payload: NodeJS.ReadableStream, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of payload) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new ServiceError("payload_too_large", `Request body is larger than the server's limit of ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function toFetchRequest(request: FastifyRequest, body: Buffer): Request {
  const headers = new Headers();
  const raw = request.raw.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const url = new URL(request.url, `${request.protocol}://${request.headers.host ?? "localhost"}`);
  const hasBody = body.length > 0 && request.method !== "GET" && request.method !== "HEAD";
  return new Request(url, { method: request.method, headers, body: hasBody ? new Uint8Array(body) : undefined });
}

async function sendFetchResponse(reply: FastifyReply, response: Response): Promise<void> {
  reply.status(response.status);
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") reply.header(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) reply.header("set-cookie", cookies);
  // A streamed body (e.g. SSE) is passed on as it comes.
  await reply.send(response.body ? Readable.fromWeb(response.body as import("node:stream/web").ReadableStream) : null);
}
