// Client mistakes get a 4xx JSON error naming the problem; the server keeps serving and
// nothing stored changes (DEVELOPERS.md: never a 500 for a client mistake).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "../helpers/stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.stop());

async function call(method: string, path: string, body?: string, contentType = "application/json") {
  const response = await fetch(`${stack.url}${path}`, { method, body, headers: body === undefined ? {} : { "content-type": contentType } });
  const text = await response.text();
  return { status: response.status, type: response.headers.get("content-type") ?? "", body: JSON.parse(text) as Record<string, unknown> };
}

describe("bad input", () => {
  it("is refused with clear JSON errors, and stored data is unchanged", async () => {
    const thread = await stack.sdk.threads.create({ metadata: { owner: "test" } });
    const run = await stack.sdk.runs.create(thread.thread_id, "factory", { input: {} });
    await stack.sdk.runs.join(thread.thread_id, run.run_id);
    const before = { thread: await stack.sdk.threads.get(thread.thread_id), runs: await stack.sdk.runs.list(thread.thread_id) };
    const runsPath = `/threads/${thread.thread_id}/runs`;
    const unknownId = "0196f0a0-0000-7000-8000-000000000000";

    const cases: Array<[string, Awaited<ReturnType<typeof call>>, number, RegExp]> = [
      ["malformed JSON", await call("POST", runsPath, '{"assistant_id": "agent",'), 422, /^body: malformed JSON/],
      ["missing assistant_id", await call("POST", runsPath, JSON.stringify({ input: {} })), 422, /^assistant_id: must have required property/],
      ["thread id not a UUID", await call("GET", "/threads/not-a-uuid"), 422, /^thread_id: must match format "uuid"/],
      ["run id not a UUID", await call("GET", `${runsPath}/42`), 422, /^run_id: must match format "uuid"/],
      ["unknown strategy", await call("POST", runsPath, JSON.stringify({ assistant_id: "factory", multitask_strategy: "later" })), 422, /^multitask_strategy: must be/],
      ["start beyond any date", await call("POST", runsPath, JSON.stringify({ assistant_id: "factory", after_seconds: 1e307 })), 422, /^after_seconds: must be <= /],
      ["store item expiring beyond any date", await call("PUT", "/store/items", JSON.stringify({ namespace: ["bad"], key: "k", value: {}, ttl: 9e77 })), 422, /^ttl: must be <= /],
      ["input of wrong type", await call("POST", "/threads", JSON.stringify({ metadata: "not an object" })), 422, /^metadata: must be object/],
      ["bad boolean", await call("GET", `${runsPath}/${run.run_id}/join?cancel_on_disconnect=maybe`), 422, /^cancel_on_disconnect: must match pattern/],
      ["unknown assistant", await call("POST", runsPath, JSON.stringify({ assistant_id: "nope" })), 404, /^No assistant found for "nope"/],
      ["unknown thread", await call("GET", `/threads/${unknownId}`), 404, new RegExp(`^Thread with ID ${unknownId} not found$`)],
      ["run on unknown thread", await call("POST", `/threads/${unknownId}/runs`, JSON.stringify({ assistant_id: "agent" })), 404, /^Thread with ID .* not found$/],
      ["unknown run", await call("GET", `${runsPath}/${unknownId}`), 404, /^Run not found$/],
      ["unknown assistant id", await call("GET", `/assistants/${unknownId}`), 404, /^Assistant not found$/],
      ["unknown route", await call("GET", "/nowhere"), 404, /^Not found/],
    ];
    for (const [name, response, status, detail] of cases) {
      expect({ name, status: response.status, type: response.type }).toEqual({ name, status, type: expect.stringContaining("application/json") });
      expect(response.body.detail, name).toMatch(detail);
    }
    // Validation errors also name the field for programs (spec §6.1).
    expect(cases[1]![1].body).toMatchObject({ code: "validation_error", param: "assistant_id", errors: [{ loc: ["body", "assistant_id"] }] });

    // The server is still up, and what was stored is as it was.
    expect((await call("GET", "/ok")).body).toEqual({ ok: true });
    expect(await stack.sdk.threads.get(thread.thread_id)).toEqual(before.thread);
    expect(await stack.sdk.runs.list(thread.thread_id)).toEqual(before.runs);
  });

  it("reads an empty POST body as {}, and refuses text/plain and form bodies with 415 (issue 13)", async () => {
    const empty = await call("POST", "/threads");
    expect(empty.status).toBe(200);
    expect(empty.body.status).toBe("idle");
    const before = await stack.sdk.threads.count();
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const refused = await call("POST", "/threads", JSON.stringify({ metadata: { via: "text" } }), type);
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 415, code: "unsupported_media_type" });
      expect(refused.body.detail).toContain(type.split(";")[0]);
    }
    expect(await stack.sdk.threads.count()).toBe(before);
  });
});
