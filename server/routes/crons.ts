import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import { Type } from "typebox";
import type { RouteOptions } from "../services.ts";

/** Crons are reserved (spec §3.7): a clear 501 until they are implemented. */
export const cronRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app) => {
  const notImplemented = async (_request: unknown, reply: FastifyReply) =>
    reply.status(501).send({ detail: "Crons are not implemented", code: "not_implemented" });
  const AnyBody = { schema: { body: Type.Optional(Type.Unknown()) } };
  app.post("/runs/crons", AnyBody, notImplemented);
  app.post("/threads/:thread_id/runs/crons", AnyBody, notImplemented);
  app.post("/runs/crons/search", AnyBody, notImplemented);
  app.post("/runs/crons/count", AnyBody, notImplemented);
  app.patch("/runs/crons/:cron_id", AnyBody, notImplemented);
  app.delete("/runs/crons/:cron_id", notImplemented);
};
