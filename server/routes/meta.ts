import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { LANGGRAPH_VERSION, SERVER_VERSION } from "../../src/versions.ts";
import { parseQueryBoolean, QueryBoolean } from "../schemas/common.ts";
import type { RouteOptions } from "../services.ts";
import { Info, Ok, responses } from "../schemas/responses.ts";

export const metaRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.get("/ok", { schema: { querystring: Type.Object({ check_db: Type.Optional(QueryBoolean) }), response: responses({ 200: Ok }) } }, async (request, reply) => {
    if (parseQueryBoolean(request.query.check_db)) {
      try {
        await services.checkDependencies();
      } catch (err) {
        request.log.error({ err }, "dependency check failed");
        return reply.status(500).send({ detail: `Dependency unavailable: ${(err as Error).message}` });
      }
      // Issue 16: a load balancer's or operator's probe sees what was checked.
      return { ok: true, database: "ok", temporal: "ok" };
    }
    return { ok: true };
  });

  app.get("/info", { schema: { response: responses({ 200: Info }) } }, async () => ({
    version: SERVER_VERSION,
    langgraph_js_version: LANGGRAPH_VERSION,
    context: "js",
    flags: { assistants: true, crons: true, langsmith: false },
    metadata: {},
  }));
};
