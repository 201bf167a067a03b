// `http.cors` and `http.disable_*` of langgraph.json (issue 12), answered as the official JS
// server answers them: the same project is served by a stack of ours and by the oracle, and the
// CORS headers of preflights and answers, and the disabled route groups, are compared.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startReferenceServer, type ReferenceServer } from "../helpers/reference-server.ts";
import { FIXTURES, startStack, type Stack } from "../helpers/stack.ts";

const http = {
  disable_assistants: true,
  disable_meta: true,
  cors: {
    allow_origin_regex: "^https://[a-z]+\\.example\\.com$",
    allow_methods: ["GET", "POST"],
    allow_headers: ["content-type", "x-custom"],
    allow_credentials: true,
    expose_headers: ["x-mine"],
    max_age: 600,
  },
};
const graphs = { factory: path.join(FIXTURES, "graphs/factory.ts:makeGraph") };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-http-settings-"));
let stack: Stack;
let reference: ReferenceServer;

beforeAll(async () => {
  const configPath = path.join(dir, "langgraph.json");
  fs.writeFileSync(configPath, JSON.stringify({ graphs, http }));
  [stack, reference] = await Promise.all([startStack({ configPath }), startReferenceServer({ graphs, http })]);
});
afterAll(async () => {
  await stack?.stop();
  await reference?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const CORS_HEADERS = [
  "access-control-allow-origin", "access-control-allow-credentials", "access-control-allow-methods",
  "access-control-allow-headers", "access-control-max-age", "access-control-expose-headers",
];

/** The status and the CORS headers, lists as sorted lowercase sets. */
async function corsOf(base: string, method: string, route: string, headers: Record<string, string>, body?: string) {
  const response = await fetch(`${base}${route}`, { method, headers, body });
  const seen: Record<string, string> = {};
  // Browsers read expose-headers on answers only (@fastify/cors also sends it on preflights).
  for (const name of CORS_HEADERS.filter((header) => method !== "OPTIONS" || header !== "access-control-expose-headers")) {
    const value = response.headers.get(name);
    if (value !== null) seen[name] = value.split(",").map((item) => item.trim().toLowerCase()).sort().join(",");
  }
  return { status: response.status, headers: seen };
}

it("answers a preflight from an origin the regex allows with the configured methods, headers, credentials and max age", async () => {
  const preflight = { origin: "https://app.example.com", "access-control-request-method": "POST", "access-control-request-headers": "content-type,x-custom" };
  const mine = await corsOf(stack.url, "OPTIONS", "/threads", preflight);
  expect(mine).toEqual({
    status: 204,
    headers: {
      "access-control-allow-origin": "https://app.example.com",
      "access-control-allow-credentials": "true",
      "access-control-allow-methods": "get,post",
      "access-control-allow-headers": "content-type,x-custom",
      "access-control-max-age": "600",
    },
  });
  expect(mine).toEqual(await corsOf(reference.url, "OPTIONS", "/threads", preflight));
});

it("gives an origin the regex does not match no CORS headers", async () => {
  const preflight = { origin: "https://evil.example.org", "access-control-request-method": "POST" };
  const mine = await corsOf(stack.url, "OPTIONS", "/threads", preflight);
  expect(mine.headers["access-control-allow-origin"]).toBeUndefined();
  expect((await corsOf(reference.url, "OPTIONS", "/threads", preflight)).headers["access-control-allow-origin"]).toBeUndefined();
});

it("exposes the configured headers plus content-location and x-pagination-total on answers", async () => {
  const request = { origin: "https://app.example.com", "content-type": "application/json" };
  const mine = await corsOf(stack.url, "POST", "/threads", request, "{}");
  expect(mine).toEqual({
    status: 200,
    headers: {
      "access-control-allow-origin": "https://app.example.com",
      "access-control-allow-credentials": "true",
      "access-control-expose-headers": "content-location,x-mine,x-pagination-total",
    },
  });
  expect(mine).toEqual(await corsOf(reference.url, "POST", "/threads", request, "{}"));
});

it("leaves out the disabled route groups and serves the others", async () => {
  const routes: Array<[string, string, string | undefined]> = [
    ["POST", "/assistants/search", "{}"],
    ["GET", "/assistants/factory", undefined],
    ["GET", "/info", undefined],
    ["GET", "/ok", undefined],
    ["POST", "/threads/search", "{}"],
  ];
  for (const base of [stack.url, reference.url]) {
    const statuses = [];
    for (const [method, route, body] of routes) {
      statuses.push((await fetch(`${base}${route}`, { method, body, headers: body ? { "content-type": "application/json" } : {} })).status);
    }
    expect({ base, statuses }).toEqual({ base, statuses: [404, 404, 404, 404, 200] });
  }
});
