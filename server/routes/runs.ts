import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { PassThrough } from "node:stream";
import { RunParams, ThreadParams } from "../schemas/common.ts";
import { JoinQuery, RunCreate, RunListQuery } from "../schemas/runs.ts";
import type { RouteOptions } from "../services.ts";

/** While a join waits, a newline at least this often keeps proxies from closing it (spec §5.5). */
const JOIN_KEEPALIVE_MS = 10_000;

export const runRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.get("/threads/:thread_id/runs", { schema: { params: ThreadParams, querystring: RunListQuery } }, async (request) => {
    const { limit = 10, offset = 0, status } = request.query;
    return services.runs.list(request.params.thread_id, { limit, offset, status });
  });

  app.post("/threads/:thread_id/runs", { schema: { params: ThreadParams, body: RunCreate } }, async (request, reply) => {
    const run = await services.runs.create(request.params.thread_id, request.body, request.headers);
    reply.header("content-location", `/threads/${run.thread_id}/runs/${run.run_id}`);
    return run;
  });

  app.get("/threads/:thread_id/runs/:run_id", { schema: { params: RunParams } }, async (request) =>
    services.runs.get(request.params.thread_id, request.params.run_id),
  );

  app.get("/threads/:thread_id/runs/:run_id/join", { schema: { params: RunParams, querystring: JoinQuery } }, async (request, reply) => {
    const { thread_id, run_id } = request.params;
    // 404s are answered before the 200 starts (spec §5.5 step 1).
    await services.runs.get(thread_id, run_id);
    const body = new PassThrough();
    const keepalive = setInterval(() => body.write("\n"), JOIN_KEEPALIVE_MS);
    services.runs
      .join(thread_id, run_id)
      .then((result) => body.end(JSON.stringify(result)))
      .catch((err: unknown) => {
        request.log.error({ err }, "join failed after the response started");
        body.end(JSON.stringify({ __error__: { error: "InternalServerError", message: "join failed" } }));
      })
      .finally(() => clearInterval(keepalive));
    return reply
      .header("content-type", "application/json")
      .header("location", `/threads/${thread_id}/runs/${run_id}/join`)
      .send(body);
  });
};
