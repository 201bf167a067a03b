// The API's Prometheus metrics (issue 16): requests by route and status, their latencies, runs
// created by multitask strategy and the SSE clients connected, served at GET /metrics.
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from "../../src/metrics/prometheus.ts";

/** Routes that create runs (POST, 2xx); `/runs/batch` creates several and is counted per item. */
const RUN_CREATING = new Set(["/threads/:thread_id/runs", "/threads/:thread_id/runs/wait", "/threads/:thread_id/runs/stream", "/runs", "/runs/wait", "/runs/stream"]);

export function registerMetrics(app: FastifyInstance): void {
  const registry = new MetricsRegistry();
  const requests = registry.counter("langgraph_http_requests_total", "HTTP requests answered, by route template, method and status code.");
  const latency = registry.histogram("langgraph_http_request_duration_seconds", "Time to answer an HTTP request (to the end of the response), by route template and method.");
  const runsCreated = registry.counter("langgraph_runs_created_total", "Runs accepted by this API replica, by multitask strategy.");
  const sseClients = registry.gauge("langgraph_sse_clients", "Server-sent-event streams open now.");

  app.addHook("onSend", async (request, reply, payload) => {
    // A stream's response stays open: counted until its socket closes.
    if (String(reply.getHeader("content-type") ?? "").startsWith("text/event-stream")) {
      sseClients.add({}, 1);
      reply.raw.once("close", () => sseClients.add({}, -1));
    }
    return payload;
  });
  app.addHook("onResponse", async (request, reply) => {
    // Unmatched URLs share one label, so hostile clients cannot create series without bound.
    const route = request.routeOptions.url ?? "unmatched";
    requests.add({ route, method: request.method, status: String(reply.statusCode) });
    latency.observe({ route, method: request.method }, reply.elapsedTime / 1000);
    if (request.method !== "POST" || reply.statusCode >= 300) return;
    const body = request.body as { multitask_strategy?: string; length?: number } | undefined;
    if (RUN_CREATING.has(route)) runsCreated.add({ strategy: body?.multitask_strategy ?? "reject" });
    else if (route === "/runs/batch" && Array.isArray(body)) for (const item of body as { multitask_strategy?: string }[]) runsCreated.add({ strategy: item.multitask_strategy ?? "reject" });
  });

  app.get("/metrics", { schema: { hide: true, response: { 200: Type.String() } } }, async (_request, reply) => {
    reply.type(PROMETHEUS_CONTENT_TYPE);
    return registry.render();
  });
}
