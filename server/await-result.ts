// Responses that wait for a run (join, wait; spec §5.5): errors are answered before anything is
// sent; then 200 and headers at once, a newline at least every 10 s while the run is in flight
// (JSON parsers skip leading whitespace; proxies keep the connection), and the JSON body last.
// Such an answer lasts as long as its run (a run delayed by `after_seconds` waits up to the
// run's deadline) and its newlines keep a client's read timeout from firing; a client that
// stops waiting closes the connection, which ends the server's wait at once.
import { PassThrough } from "node:stream";
import type { FastifyReply, FastifyRequest } from "fastify";

const KEEPALIVE_MS = 10_000;

/**
 * Aborted when the client goes away before the answer was written to its end. The response's
 * `close` tells it: the request's own `close` has already fired once Fastify read a body.
 */
export function clientGone(reply: FastifyReply): AbortSignal {
  const gone = new AbortController();
  const res = reply.raw;
  const check = () => {
    if (!res.writableEnded) gone.abort(new Error("the client closed the connection"));
  };
  // Gone while the handler was still at work (e.g. creating the run): `close` has fired already.
  if (res.closed || res.socket?.destroyed) check();
  else res.once("close", check);
  return gone.signal;
}

export function sendWhenReady(
  request: FastifyRequest,
  reply: FastifyReply,
  result: (signal: AbortSignal) => Promise<unknown>,
  onClientGone?: () => Promise<void>,
): FastifyReply {
  const body = new PassThrough();
  const keepalive = setInterval(() => body.write("\n"), KEEPALIVE_MS);
  const gone = clientGone(reply);
  const stop = () => {
    clearInterval(keepalive);
    onClientGone?.().catch((err: unknown) => request.log.error({ err }, "cancel on disconnect failed"));
  };
  if (gone.aborted) stop();
  else gone.addEventListener("abort", stop, { once: true });
  // Fastify holds a stream's head back until its first bytes (a stream may still fail into an
  // error answer); this one cannot, so the 200 goes out now, not with the first newline.
  reply.raw.once("pipe", () => reply.raw.flushHeaders());
  result(gone)
    .then((value) => body.end(JSON.stringify(value ?? null)))
    .catch((err: unknown) => {
      // Nobody is left to read an answer.
      if (gone.aborted) return body.destroy();
      request.log.error({ err }, "waiting for a run failed after the response started");
      body.end(JSON.stringify({ __error__: { error: "InternalServerError", message: "waiting for the run failed" } }));
    })
    .finally(() => {
      clearInterval(keepalive);
      gone.removeEventListener("abort", stop);
    });
  return reply.header("content-type", "application/json").send(body);
}
