// Every route declares what it answers (issue 11): its own status codes and the one error body,
// in /openapi.json, from the TypeBox schemas that also serialize the answers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, type App } from "../../server/app.ts";
import type { Services } from "../../server/services.ts";

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
}

// The 501 stubs of crons (spec §3.7); the crons branch replaces them with routes that declare
// their responses, and this exemption goes with them.
const NOT_YET_IMPLEMENTED = /^\/(threads\/\{thread_id\}\/)?runs\/crons/;

const run = {
  run_id: "1f0c5e1e-0000-7000-8000-000000000001", thread_id: "1f0c5e1e-0000-7000-8000-000000000002", assistant_id: "a",
  created_at: "2026-01-01T00:00:00.000Z", updated_at: "2026-01-01T00:00:00.000Z", status: "success", metadata: { m: 1 },
  kwargs: { input: { deep: { er: [1] } } }, multitask_strategy: "reject", cancel_reason: null,
  // A field no schema names: serialization must keep it.
  added_later: { by: "a newer server" },
};

let app: App;
beforeAll(async () => {
  const services = { runs: { get: async () => run }, threads: { state: {} } } as unknown as Services;
  app = await buildApp({ services });
  await app.ready();
});
afterAll(async () => app?.close());

describe("response schemas", () => {
  it("every route declares a success answer and the error body of its 4xx answers", () => {
    const doc = app.swagger() as { paths: Record<string, Record<string, Operation>> };
    const missing: string[] = [];
    let operations = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (NOT_YET_IMPLEMENTED.test(path)) continue;
      for (const [method, operation] of Object.entries(methods)) {
        operations++;
        const codes = Object.keys(operation.responses ?? {});
        const errorCode = codes.find((code) => /^4(\d\d|XX)$/.test(code));
        const errorBody = errorCode && operation.responses?.[errorCode]?.content?.["application/json"]?.schema;
        if (!codes.some((code) => /^2\d\d$/.test(code)) || !errorBody || !("properties" in errorBody)) {
          missing.push(`${method.toUpperCase()} ${path}: ${codes.join(", ") || "no responses"}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(operations).toBeGreaterThan(40);
  });

  it("keeps fields that the schema does not name", async () => {
    const response = await app.inject({ method: "GET", url: `/threads/${run.thread_id}/runs/${run.run_id}` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(run);
  });
});
