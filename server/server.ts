// Listening and shutting down; the app itself is built in app.ts.
import type { App } from "./app.ts";

export async function listen(app: App, host: string, port: number): Promise<string> {
  await app.listen({ host, port });
  const address = app.server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  return `http://${host.includes(":") ? `[${host}]` : host}:${actualPort}`;
}
