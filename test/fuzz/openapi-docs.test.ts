// The OpenAPI document and the docs page come from the schemas that validate requests; an
// oversized body gets a 413 JSON error. Both are what the fuzz run (api-fuzz.test.ts) relies on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "../helpers/stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false });
});
afterAll(async () => stack?.stop());

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }>; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }>>;
}

describe("/openapi.json", () => {
  it("describes the routes with the schemas that validate their requests", async () => {
    const response = await fetch(`${stack.url}/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as OpenApiDocument;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/threads", "/threads/{thread_id}", "/threads/{thread_id}/runs", "/threads/{thread_id}/runs/{run_id}", "/threads/{thread_id}/runs/{run_id}/join"]));
    // The path parameter is the route's params schema: a UUID.
    const getRun = doc.paths["/threads/{thread_id}/runs/{run_id}"]!.get!;
    expect(getRun.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: "run_id", in: "path", schema: { type: "string", format: "uuid" } })]));
    // The body schema is RunCreate: assistant_id required, multitask_strategy limited to what is supported.
    const runCreate = doc.paths["/threads/{thread_id}/runs"]!.post!.requestBody!.content["application/json"]!.schema as {
      required: string[];
      properties: Record<string, unknown>;
    };
    expect(runCreate.required).toContain("assistant_id");
    expect(runCreate.properties).toHaveProperty("multitask_strategy");
    // The docs' own routes stay out of the document.
    expect(Object.keys(doc.paths).filter((p) => p.startsWith("/docs") || p === "/openapi.json")).toEqual([]);
  });

  it("is readable at /docs", async () => {
    const response = await fetch(`${stack.url}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain("swagger");
  });
});

describe("request body limit", () => {
  it("answers a body over the limit with 413 and a JSON detail, and keeps serving", async () => {
    const thread = await stack.sdk.threads.create();
    const body = JSON.stringify({ assistant_id: "agent", input: { text: "x".repeat(17 * 1024 * 1024) } });
    const response = await fetch(`${stack.url}/threads/${thread.thread_id}/runs`, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toEqual({ detail: "Request body is larger than the server's limit of 16777216 bytes", code: "payload_too_large" });
    expect(await stack.sdk.runs.list(thread.thread_id)).toEqual([]);
    expect((await fetch(`${stack.url}/ok`)).status).toBe(200);
  });
});
