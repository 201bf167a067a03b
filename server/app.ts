// The Fastify app as a plugin tree: body parsing, error mapping, CORS and the route plugins.
// server.ts owns listening and shutdown; tests build this app and close it after each test.
import cors from "@fastify/cors";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyServerOptions } from "fastify";
import { registerErrorHandling } from "./error-handler.ts";
import { registerJsonBodies } from "./json-body.ts";
import { registerMetrics } from "./plugins/metrics.ts";
import { registerOpenApi } from "./plugins/openapi.ts";
import { assistantRoutes } from "./routes/assistants.ts";
import { metaRoutes } from "./routes/meta.ts";
import { cronRoutes } from "./routes/crons.ts";
import { runRoutes } from "./routes/runs.ts";
import { streamRoutes } from "./routes/streams.ts";
import { threadStateRoutes } from "./routes/thread-state.ts";
import { threadRoutes } from "./routes/threads.ts";
import type { Services } from "./services.ts";

export interface AppOptions {
  services: Services;
  logger?: FastifyServerOptions["logger"];
}

export async function buildApp({ services, logger = false }: AppOptions) {
  const app = Fastify({ logger, bodyLimit: 16 * 1024 * 1024 }).withTypeProvider<TypeBoxTypeProvider>();
  registerJsonBodies(app);
  registerErrorHandling(app);
  // A POST without a body is `{}` (spec §3.1).
  app.addHook("preValidation", async (request) => {
    if (request.body === undefined && ["POST", "PATCH", "PUT"].includes(request.method)) request.body = {};
  });
  await app.register(cors, {
    origin: true,
    exposedHeaders: ["Content-Location", "Location", "X-Pagination-Total", "X-Pagination-Next"],
  });
  await registerOpenApi(app);
  registerMetrics(app);
  for (const routes of [metaRoutes, assistantRoutes, threadRoutes, threadStateRoutes, runRoutes, cronRoutes, streamRoutes]) {
    await app.register(routes, { services });
  }
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
