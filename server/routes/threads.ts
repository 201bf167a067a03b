import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { ThreadParams } from "../schemas/common.ts";
import { ThreadCreate } from "../schemas/threads.ts";
import type { RouteOptions } from "../services.ts";

export const threadRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.post("/threads", { schema: { body: ThreadCreate } }, async (request) => services.threads.create(request.body));

  app.get("/threads/:thread_id", { schema: { params: ThreadParams } }, async (request) =>
    services.threads.get(request.params.thread_id),
  );

  app.get("/threads/:thread_id/state", { schema: { params: ThreadParams } }, async (request) =>
    services.threads.getState(request.params.thread_id),
  );
};
