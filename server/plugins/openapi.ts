// The OpenAPI document (`/openapi.json`) and readable docs (`/docs`), generated from the same
// TypeBox schemas that validate requests, so the three cannot drift apart. Registered before
// the routes: @fastify/swagger collects each route as it is added.
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import { SERVER_VERSION } from "../../src/versions.ts";

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      // 3.1: its schemas are JSON Schema, so TypeBox's output (e.g. patternProperties) fits as is.
      openapi: "3.1.0",
      info: {
        title: "langgraph-temporal Agent Server",
        version: SERVER_VERSION,
        description: "The LangGraph Agent Server API; background runs are durable Temporal workflows.",
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
}
