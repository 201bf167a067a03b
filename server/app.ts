// The Fastify app as a plugin tree: body parsing, error mapping, CORS, the user's custom app
// and the route plugins. server.ts owns listening and shutdown; tests build this app and close
// it after each test.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyServerOptions } from "fastify";
import { registerErrorHandling } from "./error-handler.ts";
import { registerJsonBodies } from "./json-body.ts";
import { registerAuth } from "./plugins/auth.ts";
import { registerCors } from "./plugins/cors.ts";
import { loadCustomApp, registerCustomRoutes } from "./plugins/custom-routes.ts";
import { registerMetrics } from "./plugins/metrics.ts";
import { registerOpenApi } from "./plugins/openapi.ts";
import type { HttpConfig, RouteGroup } from "../src/graphs/langgraph-json.ts";
import { assistantRoutes } from "./routes/assistants.ts";
import { metaRoutes } from "./routes/meta.ts";
import { cronRoutes } from "./routes/crons.ts";
import { runRoutes } from "./routes/runs.ts";
import { storeRoutes } from "./routes/store.ts";
import { streamRoutes } from "./routes/streams.ts";
import { threadStateRoutes } from "./routes/thread-state.ts";
import { threadRoutes } from "./routes/threads.ts";
import type { Services } from "./services.ts";

export interface AppOptions {
  services: Services;
  logger?: FastifyServerOptions["logger"];
  /** `http` of langgraph.json: custom app, disabled route groups, CORS. */
  http?: HttpConfig;
  /** CORS_ALLOW_ORIGINS, used when `http.cors` is absent. */
  corsAllowOrigins?: string[];
}

export async function buildApp({ services, logger = false, http, corsAllowOrigins = [] }: AppOptions) {
  const app = Fastify({ logger, bodyLimit: 16 * 1024 * 1024 }).withTypeProvider<TypeBoxTypeProvider>();
  registerJsonBodies(app);
  registerErrorHandling(app);
  // A POST without a body is `{}` (spec §3.1).
  app.addHook("preValidation", async (request) => {
    if (request.body === undefined && ["POST", "PATCH", "PUT"].includes(request.method)) request.body = {};
  });
  // Counts every request, refused ones included.
  registerMetrics(app);
  await registerCors(app, { config: http?.cors ?? null, envOrigins: corsAllowOrigins });
  // As the official server: CORS, then authentication, then the user's app and our routes.
  registerAuth(app, services.auth);
  if (http?.app) registerCustomRoutes(app, await loadCustomApp(http.app));
  await registerOpenApi(app);
  const groups: Array<[RouteGroup, Array<typeof metaRoutes>]> = [
    ["meta", [metaRoutes]],
    ["assistants", [assistantRoutes]],
    ["threads", [threadRoutes, threadStateRoutes]],
    ["runs", [runRoutes, cronRoutes, streamRoutes]],
    ["store", [storeRoutes]],
  ];
  for (const [group, plugins] of groups) {
    if (http?.disabled[group]) continue;
    for (const routes of plugins) await app.register(routes, { services });
  }
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
