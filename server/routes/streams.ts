// SSE routes (spec §3.5, §3.6, §5.9): create a run and stream it, join a run's stream, join a
// thread's stream. Events come from the runs' event logs (src/streaming), which the workers
// write; 404, 409 and 422 are answered before the stream starts.
import { setMaxListeners } from "node:events";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import type { Run } from "../../src/api-types.ts";
import { ServiceError } from "../../src/errors.ts";
import type { ThreadPosition } from "../../src/streaming/run-streams.ts";
import type { Caller } from "../../src/auth/caller.ts";
import { linkedAbort } from "../../src/linked-abort.ts";
import { parseQueryBoolean, RunParams, ThreadParams } from "../schemas/common.ts";
import { RunCreate } from "../schemas/runs.ts";
import { JoinStreamQuery, RunStreamHeaders, ThreadStreamHeaders, ThreadStreamQuery } from "../schemas/streams.ts";
import type { RouteOptions } from "../services.ts";
import { type SseFrame, SseStream } from "../sse.ts";
import { EventStream, responses } from "../schemas/responses.ts";

interface RunStreamOptions {
  /** Replay from after this event id; absent: only events from now on. */
  after?: number;
  modes?: readonly string[];
  /** A client that goes away before the run ends cancels it (action interrupt). */
  cancelOnDisconnect: boolean;
  headers: Record<string, string>;
  caller: Caller;
}

export const streamRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, options) => {
  const { services } = options;
  // Streams end when the server closes (a thread stream never ends by itself); clients of a
  // run still in flight reconnect through `Location` to another API process.
  const closing = new AbortController();
  // One listener per open stream: as many as there are clients, which Node would call a leak past ten.
  setMaxListeners(0, closing.signal);
  app.addHook("preClose", async () => closing.abort());

  /** Sends 200 with `headers`, then `frames` until they end or the client goes away. */
  function serve(reply: FastifyReply, headers: Record<string, string>, frames: (signal: AbortSignal) => AsyncIterable<SseFrame>, onClientGone?: () => Promise<void>) {
    const sse = new SseStream(reply);
    const ended = linkedAbort([sse.clientGone, closing.signal]);
    void (async () => {
      try {
        for await (const frame of frames(ended.controller.signal)) await sse.write(frame);
      } catch (err) {
        reply.log.error({ err }, "stream failed after it started");
      } finally {
        ended.release();
        sse.end();
      }
      if (sse.clientGone.aborted) await onClientGone?.();
    })();
    return sse.start(headers);
  }

  function streamRun(reply: FastifyReply, run: Run, { after, modes, cancelOnDisconnect, headers, caller }: RunStreamOptions) {
    async function* frames(signal: AbortSignal) {
      for await (const event of services.streams.followRun(run.run_id, { after, modes, signal })) yield { id: event.seq, event: event.event, data: event.data };
    }
    const cancel = async () => {
      await services.runs
        .cancel(run.thread_id, run.run_id, { action: "interrupt", wait: false }, caller)
        .catch((err: unknown) => reply.log.warn({ err }, "cancel on disconnect failed"));
    };
    return serve(reply, headers, frames, cancelOnDisconnect ? cancel : undefined);
  }

  const threadRunHeaders = (run: Run) => ({
    "content-location": `/threads/${run.thread_id}/runs/${run.run_id}`,
    location: `/threads/${run.thread_id}/runs/${run.run_id}/stream`,
  });

  app.post("/threads/:thread_id/runs/stream", { schema: { params: ThreadParams, body: RunCreate, response: responses({ 200: EventStream }) } }, async (request, reply) => {
    const run = await services.runs.create(request.params.thread_id, request.body, request.headers, request.caller);
    return streamRun(reply, run, {
      after: -1,
      cancelOnDisconnect: request.body.on_disconnect === "cancel",
      headers: threadRunHeaders(run),
      caller: request.caller,
    });
  });

  app.post("/runs/stream", { schema: { body: RunCreate, response: responses({ 200: EventStream }) } }, async (request, reply) => {
    const run = await services.runs.createStateless(request.body, request.headers, request.caller);
    return streamRun(reply, run, {
      after: -1,
      cancelOnDisconnect: request.body.on_disconnect === "cancel",
      headers: { "content-location": `/runs/${run.run_id}` },
      caller: request.caller,
    });
  });

  app.get(
    "/threads/:thread_id/runs/:run_id/stream",
    { schema: { params: RunParams, querystring: JoinStreamQuery, headers: RunStreamHeaders, response: responses({ 200: EventStream }) } },
    async (request, reply) => {
      const run = await services.runs.get(request.params.thread_id, request.params.run_id, request.caller);
      const lastEventId = request.headers["last-event-id"];
      return streamRun(reply, run, {
        after: lastEventId === undefined ? undefined : Number(lastEventId),
        modes: request.query.stream_mode,
        cancelOnDisconnect: parseQueryBoolean(request.query.cancel_on_disconnect),
        headers: threadRunHeaders(run),
        caller: request.caller,
      });
    },
  );

  app.get(
    "/threads/:thread_id/stream",
    { schema: { params: ThreadParams, querystring: ThreadStreamQuery, headers: ThreadStreamHeaders, response: responses({ 200: EventStream }) } },
    async (request, reply) => {
      const { thread_id } = request.params;
      await services.threads.get(thread_id, request.caller);
      const modes = new Set([...(request.query.stream_mode ?? []), ...(request.query.stream_modes ?? [])]);
      if (modes.has("state_update")) throw new ServiceError("not_implemented", "Thread stream mode state_update is not implemented");
      const mode = modes.size > 0 && !modes.has("run_modes") ? "lifecycle" : "run_modes";
      const position = threadPosition(request.headers["last-event-id"]);
      return serve(reply, {}, (signal) => services.streams.followThread(thread_id, mode, position, signal));
    },
  );
};

function threadPosition(lastEventId: string | undefined): ThreadPosition {
  if (lastEventId === undefined) return "now";
  if (lastEventId === "-1" || lastEventId === "-") return "oldest";
  const [runId, after] = lastEventId.split(":") as [string, string];
  return { runId, after: after === "done" ? "done" : Number(after) };
}
