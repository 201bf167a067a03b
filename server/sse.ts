// Server-sent events on a Fastify reply (spec §5.9.1): one frame per event, a heartbeat comment
// during silence, and a signal for the client going away.
import { once } from "node:events";
import { PassThrough } from "node:stream";
import type { FastifyReply } from "fastify";

/** Silence after which a `: heartbeat` comment is written (spec §5.9.1). */
export const HEARTBEAT_MS = 15_000;

export interface SseFrame {
  id: string | number;
  event: string;
  /** One line of JSON, written as it is. */
  data: string;
}

export class SseStream {
  private readonly body = new PassThrough();
  private readonly gone = new AbortController();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly reply: FastifyReply,
    heartbeatMs = HEARTBEAT_MS,
  ) {
    this.heartbeat = setInterval(() => this.body.write(": heartbeat\n\n"), heartbeatMs);
    // The response closes before it ended: the client went away.
    reply.raw.once("close", () => {
      if (!reply.raw.writableEnded) this.gone.abort();
      clearInterval(this.heartbeat);
    });
  }

  /** Aborted when the client disconnects before the stream ends. */
  get clientGone(): AbortSignal {
    return this.gone.signal;
  }

  /** Sends status 200 and the headers; frames follow as they are written. */
  start(headers: Record<string, string>): FastifyReply {
    return this.reply
      .headers({ ...headers, "content-type": "text/event-stream", "cache-control": "no-cache" })
      .send(this.body);
  }

  /** Writes one event; waits while a slow client's buffer is full. */
  async write({ id, event, data }: SseFrame): Promise<void> {
    if (this.gone.signal.aborted) return;
    this.heartbeat.refresh();
    if (this.body.write(`event: ${event}\ndata: ${data}\nid: ${id}\n\n`)) return;
    // Rejects only when the client goes away meanwhile; the next write then does nothing.
    await once(this.body, "drain", { signal: this.gone.signal }).catch(() => undefined);
  }

  end(): void {
    clearInterval(this.heartbeat);
    this.body.end();
  }
}
