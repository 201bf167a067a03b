// Client connections to Temporal, made the same way by the API and the worker.
import { Client, Connection } from "@temporalio/client";
import { NativeConnection } from "@temporalio/worker";
import { setTimeout as sleep } from "node:timers/promises";
import type { TemporalSettings } from "../settings.ts";
import { ensureSearchAttributes } from "./search-attributes.ts";

/** Waits for the server to answer (it may still be starting), then registers our search attributes. */
export async function connectClient(settings: TemporalSettings, timeoutMs = 60_000): Promise<Client> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await Connection.connect({ address: settings.address });
      await ensureSearchAttributes(connection, settings.namespace);
      return new Client({ connection, namespace: settings.namespace });
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`cannot reach Temporal at ${settings.address}: ${(err as Error).message}`);
      await sleep(250);
    }
  }
}

export function connectWorkerConnection(settings: TemporalSettings): Promise<NativeConnection> {
  return NativeConnection.connect({ address: settings.address });
}
