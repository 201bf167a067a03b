// One real Temporal dev server (in memory, headless) for the whole test run.
import type { TestProject } from "vitest/node";
import { readSettings } from "../../src/settings.ts";
import { provisionTemporalCli } from "../../src/temporal/cli-binary.ts";
import { freePort, startDevServer, type DevServer } from "../../src/temporal/dev-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalCli: string;
  }
}

let server: DevServer | undefined;

export default async function setup(project: TestProject) {
  const settings = readSettings(process.env);
  const binary = await provisionTemporalCli(settings.temporal);
  const address = `127.0.0.1:${await freePort()}`;
  server = await startDevServer({ binary, address, namespace: "default", uiPort: undefined, dbFile: undefined });
  project.provide("temporalAddress", address);
  project.provide("temporalCli", binary);
  return async () => server?.stop();
}
