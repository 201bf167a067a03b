import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { AssistantSearch } from "../schemas/assistants.ts";
import { AssistantParams } from "../schemas/common.ts";
import { paginationHeaders } from "../pagination.ts";
import type { RouteOptions } from "../services.ts";

export const assistantRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.post("/assistants/search", { schema: { body: AssistantSearch } }, async (request, reply) => {
    const { graph_id, limit = 10, offset = 0 } = request.body;
    const { items, total } = await services.assistants.search({ graphId: graph_id, limit, offset });
    reply.headers(paginationHeaders({ total, limit, offset, count: items.length }));
    return items;
  });

  app.get("/assistants/:assistant_id", { schema: { params: AssistantParams } }, async (request) =>
    services.assistants.get(request.params.assistant_id),
  );
};
