// Cross-origin access (issue 13, safe defaults): none unless `http.cors` in langgraph.json or
// CORS_ALLOW_ORIGINS names origins; `http.cors` is read as the official JS server reads it.
// A browser still sends some cross-origin writes without asking first (a "simple" POST with
// no body, or a form): a write whose Origin is neither this server nor an allowed origin is
// refused here, before any route runs.
import cors, { type FastifyCorsOptions } from "@fastify/cors";
import type { FastifyInstance } from "fastify";
import type { CorsConfig } from "../../src/graphs/langgraph-json.ts";
import { ServiceError } from "../../src/errors.ts";

/** Headers a browser page may read; the SDK reads the first and the pagination ones. */
const EXPOSED = ["content-location", "location", "x-pagination-total", "x-pagination-next"];
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface CorsSettings {
  /** `http.cors` of langgraph.json; wins over `envOrigins`. */
  config: CorsConfig | null;
  /** CORS_ALLOW_ORIGINS. */
  envOrigins: string[];
}

/** The effective rule, or null when no origin is allowed. `*` in a list allows every origin. */
function effectiveConfig({ config, envOrigins }: CorsSettings): CorsConfig | null {
  if (config) return config;
  return envOrigins.length > 0 ? { allow_origins: envOrigins } : null;
}

function originPredicate(config: CorsConfig | null): (origin: string) => boolean {
  if (!config) return () => false;
  // As the official server: a regex, when given, decides alone.
  if (config.allow_origin_regex) {
    const regex = new RegExp(config.allow_origin_regex);
    return (origin) => regex.test(origin);
  }
  const origins = config.allow_origins ?? ["*"];
  return origins.includes("*") ? () => true : (origin) => origins.includes(origin);
}

function corsOptions(config: CorsConfig, allowed: (origin: string) => boolean): FastifyCorsOptions {
  const expose = config.expose_headers ? [...new Set([...config.expose_headers.map((h) => h.toLowerCase()), "content-location", "x-pagination-total"])] : EXPOSED;
  const wildcard = !config.allow_origin_regex && (config.allow_origins ?? ["*"]).includes("*") && !config.allow_credentials;
  return {
    origin: wildcard ? "*" : (origin, done) => done(null, origin !== undefined && allowed(origin)),
    exposedHeaders: expose,
    ...(config.allow_methods ? { methods: config.allow_methods } : {}),
    ...(config.allow_headers ? { allowedHeaders: config.allow_headers } : {}),
    ...(config.allow_credentials !== undefined ? { credentials: config.allow_credentials } : {}),
    ...(config.max_age !== undefined ? { maxAge: config.max_age } : {}),
  };
}

export async function registerCors(app: FastifyInstance, settings: CorsSettings): Promise<void> {
  const config = effectiveConfig(settings);
  const allowed = originPredicate(config);
  app.addHook("onRequest", async (request) => {
    const origin = request.headers.origin;
    if (origin === undefined || SAFE_METHODS.has(request.method) || allowed(origin) || sameOrigin(origin, request.headers.host)) return;
    throw new ServiceError("forbidden", `Origin ${origin} may not write to this API (allow it with http.cors in langgraph.json or CORS_ALLOW_ORIGINS)`);
  });
  if (config) await app.register(cors, corsOptions(config, allowed));
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
