import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Thread } from "../../src/api-types.ts";
import { paginationHeaders } from "../pagination.ts";
import { ThreadParams } from "../schemas/common.ts";
import { PreferHeaders, ThreadCount, ThreadCreate, ThreadPatch, ThreadPrune, ThreadSearch } from "../schemas/threads.ts";
import type { RouteOptions } from "../services.ts";
import { Type } from "typebox";
import { Count, NoContent, Pruned, responses, Thread as ThreadBody, ThreadSelection } from "../schemas/responses.ts";

export const threadRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.post("/threads", { schema: { body: ThreadCreate, response: responses({ 200: ThreadBody }) } }, async (request) => services.threads.create(request.body));

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
    });
    reply.headers(paginationHeaders({ total, limit, offset, count: items.length }));
    return select ? items.map((thread) => selectFields(thread, select)) : items;
  });

  app.post("/threads/count", { schema: { body: ThreadCount, response: responses({ 200: Count }) } }, async (request) => {
    const { metadata, values, status } = request.body;
    return services.threads.count({ metadata: metadata ?? undefined, values: values ?? undefined, status: status ?? undefined });
  });

  app.post("/threads/prune", { schema: { body: ThreadPrune, response: responses({ 200: Pruned }) } }, async (request) =>
    services.threads.prune(request.body.thread_ids, request.body.strategy ?? "delete"),
  );

  app.get("/threads/:thread_id", { schema: { params: ThreadParams, response: responses({ 200: ThreadBody }) } }, async (request) =>
    services.threads.get(request.params.thread_id),
  );

  app.patch("/threads/:thread_id", { schema: { params: ThreadParams, body: ThreadPatch, headers: PreferHeaders, response: responses({ 200: ThreadBody, 204: NoContent }) } }, async (request, reply) => {
    const thread = await services.threads.update(request.params.thread_id, request.body);
    return /\breturn=minimal\b/.test(request.headers.prefer ?? "") ? reply.status(204).send() : thread;
  });

  app.delete("/threads/:thread_id", { schema: { params: ThreadParams, response: responses({ 204: NoContent }) } }, async (request, reply) => {
    await services.threads.delete(request.params.thread_id);
    return reply.status(204).send();
  });

  app.post("/threads/:thread_id/copy", { schema: { params: ThreadParams, response: responses({ 200: ThreadBody }) } }, async (request) =>
    services.threads.copy(request.params.thread_id),
  );
};

/** `select` of a search: only the named fields, in the thread's own field order. */
function selectFields(thread: Thread, select: readonly string[]): Partial<Thread> {
  return Object.fromEntries(Object.entries(thread).filter(([field]) => select.includes(field)));
}
