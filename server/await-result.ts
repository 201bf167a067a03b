// Responses that wait for a run (join, wait; spec §5.5): errors are answered before anything is
// sent; then 200 and headers at once, a newline at least every 10 s while the run is in flight
// (JSON parsers skip leading whitespace; proxies keep the connection), and the JSON body last.
import { PassThrough } from "node:stream";
import type { FastifyReply, FastifyRequest } from "fastify";

const KEEPALIVE_MS = 10_000;

export function sendWhenReady(
  request: FastifyRequest,
  reply: FastifyReply,
  result: () => Promise<unknown>,
  onClientGone?: () => Promise<void>,
): FastifyReply {
  const body = new PassThrough();
  const keepalive = setInterval(() => body.write("\n"), KEEPALIVE_MS);
  let finished = false;
  request.raw.on("close", () => {
    if (!finished && onClientGone) onClientGone().catch((err: unknown) => request.log.error({ err }, "cancel on disconnect failed"));
  });
  result()
    .then((value) => body.end(JSON.stringify(value ?? null)))
    .catch((err: unknown) => {
      request.log.error({ err }, "waiting for a run failed after the response started");
      body.end(JSON.stringify({ __error__: { error: "InternalServerError", message: "waiting for the run failed" } }));
    })
    .finally(() => {
      finished = true;
      clearInterval(keepalive);
    });
  return reply.header("content-type", "application/json").send(body);
}
