import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { parseQueryBoolean, ThreadParams } from "../schemas/common.ts";
import { CheckpointParams, HistoryQuery, HistoryRequest, StateAtCheckpoint, StatePatch, StateQuery, StateUpdate } from "../schemas/threads.ts";
import { addressOf } from "../../src/threads/thread-state-service.ts";
import type { RouteOptions } from "../services.ts";
import { Type } from "typebox";
import { NoContent, responses, StateUpdated, ThreadState } from "../schemas/responses.ts";

/** /threads/{tid}/state and /history (spec §3.4): a thread's checkpoints through its graph. */
export const threadStateRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  const state = services.threads.state;

  app.get("/threads/:thread_id/state", { schema: { params: ThreadParams, querystring: StateQuery, response: responses({ 200: ThreadState }) } }, async (request) =>
    state.latest(request.params.thread_id, request.caller, { subgraphs: parseQueryBoolean(request.query.subgraphs) }),
  );

  app.post("/threads/:thread_id/state", { schema: { params: ThreadParams, body: StateUpdate, response: responses({ 200: StateUpdated }) } }, async (request) =>
    state.update(request.params.thread_id, request.body, request.caller),
  );

  app.patch("/threads/:thread_id/state", { schema: { params: ThreadParams, body: StatePatch, response: responses({ 204: NoContent }) } }, async (request, reply) => {
    await state.patchMetadata(request.params.thread_id, request.body.metadata, request.caller);
    return reply.status(204).send();
  });

  app.get("/threads/:thread_id/state/:checkpoint_id", { schema: { params: CheckpointParams, querystring: StateQuery, response: responses({ 200: ThreadState }) } }, async (request) =>
    state.at(
      request.params.thread_id,
      { checkpointId: request.params.checkpoint_id },
      request.caller,
      { subgraphs: parseQueryBoolean(request.query.subgraphs) },
    ),
  );

  app.post("/threads/:thread_id/state/checkpoint", { schema: { params: ThreadParams, body: StateAtCheckpoint, response: responses({ 200: ThreadState }) } }, async (request) => {
    const { checkpoint, subgraphs } = request.body;
    return state.at(request.params.thread_id, addressOf(checkpoint), request.caller, { subgraphs: subgraphs ?? false });
  });

  app.get("/threads/:thread_id/history", { schema: { params: ThreadParams, querystring: HistoryQuery, response: responses({ 200: Type.Array(ThreadState) }) } }, async (request) =>
    state.history(request.params.thread_id, { limit: request.query.limit ?? 10, before: request.query.before }, request.caller),
  );

  app.post("/threads/:thread_id/history", { schema: { params: ThreadParams, body: HistoryRequest, response: responses({ 200: Type.Array(ThreadState) }) } }, async (request) =>
    state.history(request.params.thread_id, { ...request.body, limit: request.body.limit ?? 10 }, request.caller),
  );
};
