// A Temporal dev server with its Web UI for the browser test (the other suites run headless).
import type { TestProject } from "vitest/node";
import { readSettings } from "../../src/settings.ts";
import { provisionTemporalCli } from "../../src/temporal/cli-binary.ts";
import { freePort, startDevServer, type DevServer } from "../../src/temporal/dev-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalCli: string;
    temporalUiUrl: string;
  }
}

let server: DevServer | undefined;

export default async function setup(project: TestProject) {
  const binary = await provisionTemporalCli(readSettings(process.env).temporal);
  server = await startDevServer({ binary, address: `127.0.0.1:${await freePort()}`, namespace: "default", uiPort: await freePort(), dbFile: undefined });
  project.provide("temporalAddress", server.address);
  project.provide("temporalCli", binary);
  project.provide("temporalUiUrl", server.uiUrl!);
  return async () => server?.stop();
}
