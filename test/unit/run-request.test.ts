import { describe, expect, it } from "vitest";
import type { Assistant, Thread } from "../../src/api-types.ts";
import { buildRun, configurableHeaders } from "../../src/runs/run-request.ts";

const assistant: Assistant = {
  assistant_id: "fe096781-5601-53d2-b2f6-0d3403f7e9ca", graph_id: "agent", name: "agent", description: null,
  config: { configurable: { model: "a", temperature: 0 }, tags: ["from-assistant"] }, context: { tone: "dry", lang: "en" },
  metadata: { created_by: "system" }, version: 1, created_at: "t", updated_at: "t",
};
const thread: Thread = {
  thread_id: "t1", created_at: "t", updated_at: "t", state_updated_at: "t", status: "idle", values: null, interrupts: {},
  metadata: { owner: "me", graph_id: "agent" }, config: { configurable: { model: "b" } },
};

describe("buildRun (spec §4.4, §5.10)", () => {
  const run = buildRun({
    runId: "r1", assistant, thread, createdAt: "2026-01-01T00:00:00.000Z",
    headers: { "x-request-id": "abc", "x-api-key": "secret", "user-agent": "sdk", accept: "*/*" },
    body: { assistant_id: "agent", input: { q: 1 }, metadata: { owner: "request" }, config: { configurable: { model: "c" } }, context: { lang: "fr" } },
  });

  it("merges configurable: assistant ⊕ thread ⊕ request ⊕ headers ⊕ run ids", () => {
    expect(run.kwargs.config.configurable).toEqual({
      model: "c", temperature: 0, "x-request-id": "abc", "user-agent": "sdk",
      run_id: "r1", thread_id: "t1", graph_id: "agent", assistant_id: assistant.assistant_id,
    });
    expect(run.kwargs.config.tags).toEqual(["from-assistant"]);
  });

  it("carries the custom-auth user who creates the run, and never a user a client or the thread names", () => {
    const spoofed = { langgraph_auth_user: { identity: "alice" }, langgraph_auth_user_id: "alice", langgraph_auth_permissions: ["admin"] };
    const parts = {
      runId: "r2", assistant, createdAt: "t", headers: {},
      thread: { ...thread, config: { configurable: spoofed } },
      body: { assistant_id: "agent", config: { configurable: spoofed } },
    };
    const bob = { identity: "bob", display_name: "bob", is_authenticated: true, permissions: ["threads:read"], team: "b" };
    expect(buildRun({ ...parts, user: bob }).kwargs.config.configurable).toMatchObject({
      langgraph_auth_user: bob, langgraph_auth_user_id: "bob", langgraph_auth_permissions: ["threads:read"],
    });
    expect(Object.keys(buildRun(parts).kwargs.config.configurable).filter((key) => key.startsWith("langgraph_auth"))).toEqual([]);
  });

  it("merges metadata and context, request last", () => {
    expect(run.metadata).toEqual({ created_by: "system", owner: "request", graph_id: "agent" });
    expect(run.kwargs.config.metadata).toEqual(run.metadata);
    expect(run.kwargs.context).toEqual({ tone: "dry", lang: "fr" });
  });

  it("fills every kwargs key with its default", () => {
    expect(run).toMatchObject({ status: "pending", multitask_strategy: "reject", cancel_reason: null });
    expect(run.kwargs).toMatchObject({
      input: { q: 1 }, command: null, stream_mode: ["values"], interrupt_before: null, interrupt_after: null,
      webhook: null, feedback_keys: null, temporary: false, subgraphs: false, resumable: false, durability: "async",
    });
  });

  it("maps the deprecated checkpoint_during onto durability", () => {
    const exit = buildRun({ runId: "r2", assistant, thread, headers: {}, createdAt: "t", body: { assistant_id: "agent", checkpoint_during: false } });
    expect(exit.kwargs.durability).toBe("exit");
  });
});

describe("configurableHeaders", () => {
  it("copies x-* and user-agent, never credentials", () => {
    expect(configurableHeaders({ "X-Trace": "1", "x-tenant-id": "t", "x-service-key": "k", "user-agent": "ua", host: "h" })).toEqual({ "x-trace": "1", "user-agent": "ua" });
  });

  it("follows http.configurable_headers: * patterns, excludes win, credentials never (issue 13)", () => {
    const headers = { "x-org-id": "o", "x-org-secret": "s", "my-prefix-a": "a", "x-other": "x", authorization: "Bearer t", cookie: "c=1", "user-agent": "ua" };
    const rules = { includes: ["x-org-*", "my-prefix-*", "authorization", "cookie"], excludes: ["*-secret"] };
    expect(configurableHeaders(headers, rules)).toEqual({ "x-org-id": "o", "my-prefix-a": "a" });
    // Only excludes: the default includes, minus the default excludes and these.
    expect(configurableHeaders({ ...headers, "x-api-key": "k" }, { includes: null, excludes: ["x-org-*"] })).toEqual({ "x-other": "x", "user-agent": "ua" });
    // A dot in a pattern is a dot, not "any character".
    expect(configurableHeaders({ "x-a.b": "1", "x-aXb": "2" }, { includes: ["x-a.b"], excludes: [] })).toEqual({ "x-a.b": "1" });
  });
});
