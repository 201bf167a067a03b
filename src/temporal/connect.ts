// Connections to Temporal, made the same way by the API and the worker: wait for the server
// (it may still be starting), then register our search attributes if they are missing.
import { Client, Connection } from "@temporalio/client";
import { NativeConnection } from "@temporalio/worker";
import fs from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import type { TemporalSettings } from "../settings.ts";
import { ensureSearchAttributes } from "./search-attributes.ts";

const CONNECT_TIMEOUT_MS = 60_000;

async function connectWithRetry<C extends Connection | NativeConnection>(settings: TemporalSettings, connect: () => Promise<C>): Promise<C> {
  const deadline = Date.now() + CONNECT_TIMEOUT_MS;
  for (;;) {
    let connection: C | undefined;
    try {
      connection = await connect();
      await ensureSearchAttributes(connection, settings.namespace);
      return connection;
    } catch (err) {
      await connection?.close().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`cannot reach Temporal at ${settings.address}: ${(err as Error).message}`);
      await sleep(250);
    }
  }
}

/** Address and credentials: plain on a local server; mTLS or an API key (over TLS) on Temporal Cloud. */
function connectionOptions({ address, tls, apiKey }: TemporalSettings) {
  if (tls) return { address, tls: { clientCertPair: { crt: fs.readFileSync(tls.certPath), key: fs.readFileSync(tls.keyPath) } } };
  if (apiKey) return { address, tls: true, apiKey };
  return { address };
}

export async function connectClient(settings: TemporalSettings): Promise<Client> {
  const connection = await connectWithRetry(settings, () => Connection.connect(connectionOptions(settings)));
  return new Client({ connection, namespace: settings.namespace });
}

export function connectWorkerConnection(settings: TemporalSettings): Promise<NativeConnection> {
  return connectWithRetry(settings, () => NativeConnection.connect(connectionOptions(settings)));
}
