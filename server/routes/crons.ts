// Crons (spec §3.7): each one a Temporal Schedule that submits its run as POST .../runs would.
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { paginationHeaders } from "../pagination.ts";
import { selectFields } from "../select-fields.ts";
import { ThreadParams } from "../schemas/common.ts";
import { CronCount, CronCreate, CronErrors, CronParams, CronResponse, CronSearch, CronSearchResponse, CronUpdate } from "../schemas/crons.ts";
import type { RouteOptions } from "../services.ts";

export const cronRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  const { crons } = services;
  const replies = { 200: CronResponse, ...CronErrors };

  app.post("/threads/:thread_id/runs/crons", { schema: { params: ThreadParams, body: CronCreate, response: replies } }, async (request) =>
    crons.createForThread(request.params.thread_id, request.body, request.caller),
  );

  app.post("/runs/crons", { schema: { body: CronCreate, response: replies } }, async (request) => crons.createStateless(request.body, request.caller));

  app.post("/runs/crons/search", { schema: { body: CronSearch, response: { 200: CronSearchResponse, ...CronErrors } } }, async (request, reply) => {
    const { assistant_id, thread_id, metadata, enabled, limit = 10, offset = 0, sort_by, sort_order, select } = request.body;
    const { items, total } = await crons.search({
      assistantId: assistant_id ?? undefined,
      threadId: thread_id ?? undefined,
      metadata: metadata ?? undefined,
      enabled: enabled ?? undefined,
      limit,
      offset,
      sortBy: sort_by ?? "created_at",
      sortOrder: sort_order ?? "desc",
    }, request.caller);
    reply.headers(paginationHeaders({ total, limit, offset, count: items.length }));
    return select ? items.map((cron) => selectFields(cron, select)) : items;
  });

  app.post("/runs/crons/count", { schema: { body: CronCount, response: { 200: Type.Integer(), ...CronErrors } } }, async (request) => {
    const { assistant_id, thread_id, metadata } = request.body;
    return crons.count({ assistantId: assistant_id ?? undefined, threadId: thread_id ?? undefined, metadata: metadata ?? undefined }, request.caller);
  });

  app.get("/runs/crons/:cron_id", { schema: { params: CronParams, response: replies } }, async (request) => crons.get(request.params.cron_id, request.caller));

  app.patch("/runs/crons/:cron_id", { schema: { params: CronParams, body: CronUpdate, response: replies } }, async (request) =>
    crons.update(request.params.cron_id, request.body, request.caller),
  );

  app.delete("/runs/crons/:cron_id", { schema: { params: CronParams, response: { 204: Type.Null(), ...CronErrors } } }, async (request, reply) => {
    await crons.delete(request.params.cron_id, request.caller);
    return reply.status(204).send(null);
  });
};
