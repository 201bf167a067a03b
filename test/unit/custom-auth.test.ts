// How the project's Auth object is applied (issue 13), against the official JS server's rules
// (langgraph-api dist/auth/index.mjs): user normalisation, handler priority, results, errors.
import { describe, expect, it } from "vitest";
import { parseAuthFilters } from "../../src/auth/auth-filters.ts";
import { CustomAuth } from "../../src/auth/custom-auth.ts";
import { ServiceError } from "../../src/errors.ts";
import { readLangGraphJson } from "../../src/graphs/langgraph-json.ts";
import { FIXTURES, REPO_ROOT } from "../helpers/stack.ts";

const load = (exportName: string, disableStudioAuth = false) =>
  CustomAuth.load({ file: `${FIXTURES}auth-handlers.ts`, exportName, disableStudioAuth });
const request = (headers: Record<string, string> = {}) => new Request("http://127.0.0.1/threads/search", { method: "POST", headers });
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => "allowed",
    (err: unknown) => (err instanceof ServiceError ? `${err.code}: ${err.message}` : `error: ${(err as Error).message}`),
  );

describe("authenticate", () => {
  it("turns a string into a user, keeps extra fields of an object, and maps HTTPException to our error", async () => {
    const layered = await load("layered");
    expect((await layered.authenticate(request({ "x-user": "zoe" }))).user).toEqual({
      identity: "zoe", display_name: "zoe", is_authenticated: true, permissions: [],
    });
    expect(await refusal(layered.authenticate(request()))).toBe("unauthorized: who are you?");
    expect((await (await load("answers")).authenticate(request())).user).toEqual({
      identity: "ann", display_name: "ann", is_authenticated: true, permissions: ["p"], role: "admin",
    });
  });

  it("gives `x-auth-scheme: langsmith` Studio's user unless auth.disable_studio_auth", async () => {
    const studio = request({ "x-auth-scheme": "langsmith" });
    expect((await (await load("layered")).authenticate(studio)).user?.identity).toBe("langgraph-studio-user");
    expect(await refusal((await load("layered", true)).authenticate(studio))).toBe("unauthorized: who are you?");
  });

  it("loads the example project's auth, which refuses a request without a bearer token", async () => {
    process.env.JWT_SECRET ??= "unit-secret";
    const project = readLangGraphJson(`${REPO_ROOT}examples/jwt-auth/langgraph.json`);
    const auth = await CustomAuth.load(project.auth!);
    expect(auth.studioAuthDisabled).toBe(true);
    expect(await refusal(auth.authenticate(request({ "x-auth-scheme": "langsmith" })))).toBe("unauthorized: Missing bearer token");
  });

  it("refuses a module whose export is not an Auth", async () => {
    await expect(load("notAnAuth")).rejects.toThrow(/no Auth instance/);
    await expect(load("missing")).rejects.toThrow(/no Auth instance/);
  });
});

describe("authorize", () => {
  it("asks the most specific handler: resource:action, resource, *:action, *", async () => {
    const caller = await (await load("layered")).authenticate(request({ "x-user": "zoe" }));
    const from = async (resource: "threads" | "assistants" | "crons", action: "read" | "update" | "search" | "create") =>
      (await caller.authorize(resource, action, {}))?.[0];
    expect(await from("threads", "read")).toEqual({ key: "from", op: "eq", value: "threads:read" });
    expect(await from("threads", "update")).toEqual({ key: "from", op: "eq", value: "threads" });
    expect(await from("assistants", "search")).toEqual({ key: "from", op: "eq", value: "*:search" });
    expect(await from("crons", "create")).toEqual({ key: "from", op: "eq", value: "*" });
  });

  it("allows on true, refuses on false, filters on an object, and fails loudly on anything else", async () => {
    const caller = await (await load("answers")).authenticate(request());
    expect(await caller.authorize("threads", "read", {})).toBeUndefined();
    // No handler for the event: allowed, unfiltered.
    expect(await caller.authorize("assistants", "search", {})).toBeUndefined();
    expect(await refusal(caller.authorize("threads", "delete", {}))).toBe("forbidden: Forbidden");
    expect(await refusal(caller.authorize("threads", "update", {}))).toMatch(/^error: .*returned string/);
    expect(await caller.authorize("threads", "search", {})).toEqual(parseAuthFilters({ tags: { $contains: ["x"] }, level: 2 }));
    // An operator we do not know never widens access silently.
    expect(await refusal(caller.authorize("threads", "create", {}))).toMatch(/^error: .*unsupported filter for "owner"/);
    // Any other 4xx of the handler is a refusal; a plain error stays a server error (500).
    expect(await refusal(caller.authorize("assistants", "read", {}))).toBe("forbidden: teapot");
    expect(await refusal(caller.authorize("assistants", "delete", {}))).toBe("error: handler bug");
  });

  it("runs no handler for a request without a user (no authenticate)", async () => {
    const caller = await (await load("handlersOnly")).authenticate(request());
    expect(caller.user).toBeUndefined();
    expect(await caller.authorize("threads", "read", {})).toBeUndefined();
  });
});

describe("parseAuthFilters", () => {
  it("refuses keys that a JSON path would misread", () => {
    expect(() => parseAuthFilters({ $or: [] })).toThrow(/must not start with \$/);
    expect(() => parseAuthFilters({ 'a"b': 1 })).toThrow(/double quote/);
    expect(() => parseAuthFilters({ a: { $contains: [{ b: 1 }] } })).toThrow(/unsupported filter/);
  });
});
