import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { paginationHeaders } from "../pagination.ts";
import { selectFields } from "../select-fields.ts";
import { ThreadParams } from "../schemas/common.ts";
import { PreferHeaders, ThreadCount, ThreadCreate, ThreadPatch, ThreadPrune, ThreadSearch } from "../schemas/threads.ts";
import type { RouteOptions } from "../services.ts";
import { Type } from "typebox";
import { Count, NoContent, Pruned, responses, Thread as ThreadBody, ThreadSelection } from "../schemas/responses.ts";

export const threadRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.post("/threads", { schema: { body: ThreadCreate, response: responses({ 200: ThreadBody }) } }, async (request) => services.threads.create(request.body, request.caller));

  app.post("/threads/search", { schema: { body: ThreadSearch, response: responses({ 200: Type.Array(ThreadSelection) }) } }, async (request, reply) => {
    const { metadata, values, status, ids, limit = 10, offset = 0, sort_by, sort_order, select } = request.body;
    const { items, total } = await services.threads.search({
      metadata: metadata ?? undefined,
      values: values ?? undefined,
      status: status ?? undefined,
      ids: ids ?? undefined,
      limit,
      offset,
      sortBy: sort_by ?? "created_at",
      sortOrder: sort_order ?? "desc",
    }, request.caller);
    reply.headers(paginationHeaders({ total, limit, offset, count: items.length }));
    return select ? items.map((thread) => selectFields(thread, select)) : items;
  });

  app.post("/threads/count", { schema: { body: ThreadCount, response: responses({ 200: Count }) } }, async (request) => {
    const { metadata, values, status } = request.body;
    return services.threads.count({ metadata: metadata ?? undefined, values: values ?? undefined, status: status ?? undefined }, request.caller);
  });

  app.post("/threads/prune", { schema: { body: ThreadPrune, response: responses({ 200: Pruned }) } }, async (request) =>
    services.threads.prune(request.body.thread_ids, request.body.strategy ?? "delete", request.caller),
  );

  app.get("/threads/:thread_id", { schema: { params: ThreadParams, response: responses({ 200: ThreadBody }) } }, async (request) =>
    services.threads.get(request.params.thread_id, request.caller),
  );

  app.patch("/threads/:thread_id", { schema: { params: ThreadParams, body: ThreadPatch, headers: PreferHeaders, response: responses({ 200: ThreadBody, 204: NoContent }) } }, async (request, reply) => {
    const thread = await services.threads.update(request.params.thread_id, request.body, request.caller);
    return /\breturn=minimal\b/.test(request.headers.prefer ?? "") ? reply.status(204).send() : thread;
  });

  app.delete("/threads/:thread_id", { schema: { params: ThreadParams, response: responses({ 204: NoContent }) } }, async (request, reply) => {
    await services.threads.delete(request.params.thread_id, request.caller);
    return reply.status(204).send();
  });

  app.post("/threads/:thread_id/copy", { schema: { params: ThreadParams, response: responses({ 200: ThreadBody }) } }, async (request) =>
    services.threads.copy(request.params.thread_id, request.caller),
  );
};
