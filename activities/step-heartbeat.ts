// A step's heartbeats: how Temporal tells a step on a live worker from one on a dead worker,
// which it retries elsewhere once the step heartbeat timeout passes without one.
//
// They are sent from the worker's event loop, so they stop when the process dies, and also while
// a node holds the loop (synchronous CPU work): a node blocking longer than the timeout is taken
// for dead, and its step retried on another worker while the first attempt goes on. Heartbeats
// from a thread of their own would spare such nodes, but would keep a worker whose loop is stuck,
// serving none of its other steps and workflow tasks, in charge until the step timeout (minutes).
// So the timeout is also the longest a node may block the loop: graphs with longer synchronous
// nodes need a longer one (README, Configuration), and the log says when a step came close.
import type { Context } from "@temporalio/activity";

// Frequent enough that a cancel (delivered with a heartbeat's answer) stops the graph well within a
// second; the SDK throttles what it sends to the server (worker option maxHeartbeatThrottleInterval).
const HEARTBEAT_EVERY_MS = 200;

/** Heartbeats the step until the returned function is called. */
export function startHeartbeat(context: Context): () => void {
  const timeoutMs = context.info.heartbeatTimeoutMs;
  let last = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    const blockedMs = now - last - HEARTBEAT_EVERY_MS;
    last = now;
    if (timeoutMs && blockedMs > timeoutMs / 2) {
      context.log.warn(
        "event loop blocked for over half the step heartbeat timeout; past it, the step is retried on another worker while this attempt goes on (STEP_HEARTBEAT_TIMEOUT_SECONDS, step_heartbeat_timeout_seconds)",
        { blockedMs, heartbeatTimeoutMs: timeoutMs },
      );
    }
    context.heartbeat();
  }, HEARTBEAT_EVERY_MS);
  return () => clearInterval(timer);
}
