// Assistant routes (spec §3.3). Every `{assistant_id}` is an assistant uuid or a graph id.
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  AssistantCount,
  AssistantCreate,
  AssistantDeleteQuery,
  AssistantGraphQuery,
  AssistantPatch,
  AssistantSearch,
  AssistantSetLatest,
  AssistantSubgraphParams,
  AssistantSubgraphsQuery,
  AssistantVersionsQuery,
  parseXray,
} from "../schemas/assistants.ts";
import { AssistantParams, parseQueryBoolean } from "../schemas/common.ts";
import { paginationHeaders } from "../pagination.ts";
import type { RouteOptions } from "../services.ts";
import { Type } from "typebox";
import { Assistant, AssistantSelection, Count, GraphDocument, NoContent, responses } from "../schemas/responses.ts";

export const assistantRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  const { assistants } = services;

  app.post("/assistants", { schema: { body: AssistantCreate, response: responses({ 200: Assistant }) } }, async (request) => assistants.create(request.body, request.caller));

  app.post("/assistants/search", { schema: { body: AssistantSearch, response: responses({ 200: Type.Array(AssistantSelection) }) } }, async (request, reply) => {
    const { graph_id, name, metadata, limit = 10, offset = 0, sort_by, sort_order, select } = request.body;
    const { items, total } = await assistants.search(
      { graphId: graph_id, name, metadata, limit, offset, sortBy: sort_by, sortOrder: sort_order },
      select,
      request.caller,
    );
    reply.headers(paginationHeaders({ total, limit, offset, count: items.length }));
    return items;
  });

  app.post("/assistants/count", { schema: { body: AssistantCount, response: responses({ 200: Count }) } }, async (request, reply) => {
    const { graph_id, name, metadata } = request.body;
    const total = await assistants.count({ graphId: graph_id, name, metadata }, request.caller);
    // A bare JSON integer (spec §3.3), as the SDKs expect: the Count response schema writes it.
    return reply.send(total);
  });

  app.get("/assistants/:assistant_id", { schema: { params: AssistantParams, response: responses({ 200: Assistant }) } }, async (request) =>
    assistants.get(request.params.assistant_id, request.caller),
  );

  app.patch("/assistants/:assistant_id", { schema: { params: AssistantParams, body: AssistantPatch, response: responses({ 200: Assistant }) } }, async (request) =>
    assistants.update(request.params.assistant_id, request.body, request.caller),
  );

  app.delete(
    "/assistants/:assistant_id",
    { schema: { params: AssistantParams, querystring: AssistantDeleteQuery, response: responses({ 204: NoContent }) } },
    async (request, reply) => {
      await assistants.delete(request.params.assistant_id, { deleteThreads: parseQueryBoolean(request.query.delete_threads) }, request.caller);
      return reply.status(204).send();
    },
  );

  app.get("/assistants/:assistant_id/graph", { schema: { params: AssistantParams, querystring: AssistantGraphQuery, response: responses({ 200: GraphDocument }) } }, async (request) =>
    assistants.getGraph(request.params.assistant_id, parseXray(request.query.xray), request.caller),
  );

  app.get("/assistants/:assistant_id/schemas", { schema: { params: AssistantParams, response: responses({ 200: GraphDocument }) } }, async (request) =>
    assistants.getSchemas(request.params.assistant_id, request.caller),
  );

  for (const path of ["/assistants/:assistant_id/subgraphs", "/assistants/:assistant_id/subgraphs/:namespace"]) {
    app.get(path, { schema: { params: AssistantSubgraphParams, querystring: AssistantSubgraphsQuery, response: responses({ 200: GraphDocument }) } }, async (request) =>
      assistants.getSubgraphs(request.params.assistant_id, {
        namespace: request.params.namespace,
        recurse: parseQueryBoolean(request.query.recurse),
      }, request.caller),
    );
  }

  app.post(
    "/assistants/:assistant_id/versions",
    { schema: { params: AssistantParams, body: AssistantVersionsQuery, response: responses({ 200: Type.Array(AssistantSelection) }) } },
    async (request) => {
      const { limit = 10, offset = 0, metadata } = request.body;
      return assistants.listVersions(request.params.assistant_id, { limit, offset, metadata }, request.caller);
    },
  );

  app.post("/assistants/:assistant_id/latest", { schema: { params: AssistantParams, body: AssistantSetLatest, response: responses({ 200: Assistant }) } }, async (request) =>
    assistants.setLatest(request.params.assistant_id, request.body.version, request.caller),
  );
};
