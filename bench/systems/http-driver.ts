// A RunDriver over HTTP with the official JS SDK, as an application would call either server.
import { Client } from "@langchain/langgraph-sdk";
import type { DriverFactory } from "../load.ts";

export function sdkDrivers(apiUrl: string): DriverFactory {
  return () => {
    // No retries: a failed request must count as an error, not hide as extra latency.
    const client = new Client({ apiUrl, callerOptions: { maxRetries: 0 } });
    return {
      async createThread() {
        return (await client.threads.create()).thread_id;
      },
      async createRun(threadId, graphId, input, durability) {
        return (await client.runs.create(threadId, graphId, { input: input as Record<string, unknown>, ...(durability ? { durability } : {}) })).run_id;
      },
      join: (threadId, runId) => client.runs.join(threadId, runId),
    };
  };
}
