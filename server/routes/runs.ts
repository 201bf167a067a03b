import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { clientGone, sendWhenReady } from "../await-result.ts";
import { parseQueryBoolean, RunParams, ThreadParams } from "../schemas/common.ts";
import { BulkCancel, BulkCancelQuery, CancelQuery, JoinQuery, RunBatch, RunCreate, RunListQuery } from "../schemas/runs.ts";
import type { RouteOptions } from "../services.ts";
import type { Caller } from "../../src/auth/caller.ts";
import { Type } from "typebox";
import { JoinBody, NoContent, responses, Run } from "../schemas/responses.ts";

export const runRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  const { runs } = services;

  app.get("/threads/:thread_id/runs", { schema: { params: ThreadParams, querystring: RunListQuery, response: responses({ 200: Type.Array(Run) }) } }, async (request) => {
    const { limit = 10, offset = 0, status } = request.query;
    return runs.list(request.params.thread_id, { limit, offset, status }, request.caller);
  });

  app.post("/threads/:thread_id/runs", { schema: { params: ThreadParams, body: RunCreate, response: responses({ 200: Run }) } }, async (request, reply) => {
    const run = await runs.create(request.params.thread_id, request.body, request.headers, request.caller);
    reply.header("content-location", `/threads/${run.thread_id}/runs/${run.run_id}`);
    return run;
  });

  app.post("/threads/:thread_id/runs/wait", { schema: { params: ThreadParams, body: RunCreate, response: responses({ 200: JoinBody }) } }, async (request, reply) => {
    const run = await runs.create(request.params.thread_id, request.body, request.headers, request.caller);
    reply
      .header("content-location", `/threads/${run.thread_id}/runs/${run.run_id}`)
      .header("location", `/threads/${run.thread_id}/runs/${run.run_id}/join`);
    return sendWhenReady(request, reply, (signal) => runs.join(run.thread_id, run.run_id, signal), cancelOnDisconnect(request.body.on_disconnect, run, request.caller));
  });

  app.get("/threads/:thread_id/runs/:run_id", { schema: { params: RunParams, response: responses({ 200: Run }) } }, async (request) =>
    runs.get(request.params.thread_id, request.params.run_id, request.caller),
  );

  app.delete("/threads/:thread_id/runs/:run_id", { schema: { params: RunParams, response: responses({ 204: NoContent }) } }, async (request, reply) => {
    await runs.delete(request.params.thread_id, request.params.run_id, request.caller);
    return reply.status(204).send();
  });

  app.get("/threads/:thread_id/runs/:run_id/join", { schema: { params: RunParams, querystring: JoinQuery, response: responses({ 200: JoinBody }) } }, async (request, reply) => {
    const { thread_id, run_id } = request.params;
    // 404s are answered before the 200 starts (spec §5.5 step 1).
    await runs.get(thread_id, run_id, request.caller);
    reply.header("location", `/threads/${thread_id}/runs/${run_id}/join`);
    const onGone = parseQueryBoolean(request.query.cancel_on_disconnect)
      ? () => runs.cancel(thread_id, run_id, { action: "interrupt", wait: false }, request.caller)
      : undefined;
    return sendWhenReady(request, reply, (signal) => runs.join(thread_id, run_id, signal), onGone);
  });

  app.post("/threads/:thread_id/runs/:run_id/cancel", { schema: { params: RunParams, querystring: CancelQuery, response: responses({ 202: NoContent, 204: NoContent }) } }, async (request, reply) => {
    const wait = parseQueryBoolean(request.query.wait);
    const { action = "interrupt", reason } = request.query;
    // wait=true: until the run has ended, or until the client stops waiting; the cancel is sent
    // either way, and a client gone gets (unread) what wait=false answers.
    const signal = wait ? clientGone(reply) : undefined;
    try {
      await runs.cancel(request.params.thread_id, request.params.run_id, { action, wait, reason, signal }, request.caller);
    } catch (err) {
      if (signal?.aborted) return reply.status(202).send();
      throw err;
    }
    return reply.status(wait ? 204 : 202).send();
  });

  app.post("/runs/cancel", { schema: { body: BulkCancel, querystring: BulkCancelQuery, response: responses({ 204: NoContent }) } }, async (request, reply) => {
    await runs.cancelMany(request.body, request.query.action ?? "interrupt", request.caller);
    return reply.status(204).send();
  });

  // Stateless runs (spec §3.6): a new thread per run.
  app.post("/runs", { schema: { body: RunCreate, response: responses({ 200: Run }) } }, async (request, reply) => {
    const run = await runs.createStateless(request.body, request.headers, request.caller);
    reply.header("content-location", `/runs/${run.run_id}`);
    return run;
  });

  app.post("/runs/wait", { schema: { body: RunCreate, response: responses({ 200: JoinBody }) } }, async (request, reply) => {
    const run = await runs.createStateless(request.body, request.headers, request.caller);
    reply.header("content-location", `/runs/${run.run_id}`);
    return sendWhenReady(request, reply, (signal) => runs.join(run.thread_id, run.run_id, signal), cancelOnDisconnect(request.body.on_disconnect, run, request.caller));
  });

  app.post("/runs/batch", { schema: { body: RunBatch, response: responses({ 200: Type.Array(Run) }) } }, async (request) => {
    const created = [];
    for (const body of request.body) created.push(await runs.createStateless(body, request.headers, request.caller));
    return created;
  });

  function cancelOnDisconnect(onDisconnect: "cancel" | "continue" | undefined, run: { thread_id: string; run_id: string }, caller: Caller) {
    return onDisconnect === "cancel" ? () => runs.cancel(run.thread_id, run.run_id, { action: "interrupt", wait: false }, caller) : undefined;
  }
};
