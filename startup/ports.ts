// The ports a command listens on, checked before anything starts (issue 10): a taken port
// is reported with the flag or variable that moves it, instead of `listen EADDRINUSE`
// after the Temporal dev server and the worker have already started.
import net from "node:net";
import type { Settings } from "../src/settings.ts";
import { splitAddress } from "../src/temporal/dev-server.ts";

export interface Port {
  what: string;
  host: string;
  port: number;
  /** How to choose another one. */
  change: string;
}

export function portsOf(settings: Settings, command: "dev" | "serve" | "worker"): Port[] {
  const ports: Port[] = [];
  if (command === "dev") {
    const [host, port] = splitAddress(settings.temporal.address);
    ports.push({ what: "Temporal dev server", host, port: Number(port), change: "TEMPORAL_ADDRESS=127.0.0.1:<port>" });
    ports.push({ what: "Temporal Web UI", host, port: settings.temporal.uiPort, change: "TEMPORAL_UI_PORT=<port>" });
  }
  if (command !== "worker") ports.push({ what: "API", host: settings.host, port: settings.port, change: "--port <port> (or PORT=<port>)" });
  return ports;
}

/** True when something already listens there; other failures are left to the real listen. */
export function isTaken({ host, port }: Port): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", (err: NodeJS.ErrnoException) => resolve(err.code === "EADDRINUSE"));
    server.listen(port, host, () => server.close(() => resolve(false)));
  });
}

export const takenMessage = (p: Port) => `the ${p.what}'s port ${p.host}:${p.port} is already in use; choose another with ${p.change}`;

export async function assertPortsFree(settings: Settings, command: "dev" | "serve" | "worker"): Promise<void> {
  for (const port of portsOf(settings, command)) {
    if (await isTaken(port)) throw new Error(takenMessage(port));
  }
}
