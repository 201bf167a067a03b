// A web page from another origin against the API, in headless Chromium (issue 13, safe
// defaults): by default every write and read it tries fails and nothing is written, including
// the requests a browser sends without a CORS preflight (text/plain and form bodies, a POST
// without a body, an HTML form). With `http.cors` naming the page's origin, its reads work.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURES, startStack, type Stack } from "../helpers/stack.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let browser: Browser;
let pageServer: http.Server;
let pageOrigin: string;
const tempDirs: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  // The foreign page: same host, another port, so another origin.
  pageServer = http.createServer((_request, response) => response.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>elsewhere</title>"));
  await new Promise<void>((resolve) => pageServer.listen(0, "127.0.0.1", resolve));
  pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
});
afterAll(async () => {
  await browser?.close();
  pageServer?.close();
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function foreignPage(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(pageOrigin);
  return page;
}

/** What the page's script got: the body when it could read it, else why not. */
type Outcome = { readable: true; status: number; body: unknown } | { readable: false; reason: string };

async function attempt(page: Page, url: string, init: { method: string; mode?: "cors" | "no-cors"; headers?: Record<string, string>; body?: string }): Promise<Outcome> {
  return page.evaluate(async ({ url, init }) => {
    try {
      const response = await fetch(url, init as RequestInit);
      if (response.type === "opaque") return { readable: false as const, reason: "opaque response" };
      return { readable: true as const, status: response.status, body: await response.json() };
    } catch (err) {
      return { readable: false as const, reason: String(err) };
    }
  }, { url, init });
}

describe("by default (no http.cors)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.stop());

  it("every write and read from a foreign page fails, and nothing is written", async () => {
    const thread = await stack.sdk.threads.create({ metadata: { owner: "me" } });
    const before = { count: await stack.sdk.threads.count(), thread: await stack.sdk.threads.get(thread.thread_id) };
    const page = await foreignPage();
    const json = { "content-type": "application/json" };
    const body = JSON.stringify({ metadata: { owner: "attacker" } });
    const attempts = {
      // Writes that need a preflight, which gets no CORS answer.
      "POST /threads (JSON)": await attempt(page, `${stack.url}/threads`, { method: "POST", headers: json, body }),
      "PATCH /threads/{id}": await attempt(page, `${stack.url}/threads/${thread.thread_id}`, { method: "PATCH", headers: json, body }),
      "DELETE /threads/{id}": await attempt(page, `${stack.url}/threads/${thread.thread_id}`, { method: "DELETE" }),
      // Writes a browser sends without asking: refused by the server (415, 403).
      "POST /threads (text/plain, no-cors)": await attempt(page, `${stack.url}/threads`, { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body }),
      "POST /threads (form, no-cors)": await attempt(page, `${stack.url}/threads`, { method: "POST", mode: "no-cors", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "metadata=x" }),
      "POST /threads (no body, no-cors)": await attempt(page, `${stack.url}/threads`, { method: "POST", mode: "no-cors" }),
      "POST /threads/{id}/copy (no body, no-cors)": await attempt(page, `${stack.url}/threads/${thread.thread_id}/copy`, { method: "POST", mode: "no-cors" }),
      // Reads.
      "GET /threads/{id}": await attempt(page, `${stack.url}/threads/${thread.thread_id}`, { method: "GET" }),
      "POST /threads/search": await attempt(page, `${stack.url}/threads/search`, { method: "POST", headers: json, body: "{}" }),
      "GET /info": await attempt(page, `${stack.url}/info`, { method: "GET" }),
    };
    for (const [name, outcome] of Object.entries(attempts)) expect({ name, readable: outcome.readable }).toEqual({ name, readable: false });

    // A classic cross-site form post, into a hidden frame.
    await page.evaluate((action) => {
      const frame = Object.assign(document.createElement("iframe"), { name: "sink" });
      const form = Object.assign(document.createElement("form"), { method: "POST", action, target: "sink", enctype: "text/plain" });
      form.append(Object.assign(document.createElement("input"), { name: '{"metadata": {"owner": "form", "x": "', value: '"}}' }));
      document.body.append(frame, form);
      form.submit();
    }, `${stack.url}/threads`);
    await page.waitForTimeout(1000);
    await page.close();

    expect(await stack.sdk.threads.count()).toBe(before.count);
    expect(await stack.sdk.threads.get(thread.thread_id)).toEqual(before.thread);
  });
});

describe("with http.cors naming the page's origin", () => {
  let stack: Stack;
  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-cors-"));
    tempDirs.push(dir);
    const configPath = path.join(dir, "langgraph.json");
    const project = { graphs: { factory: path.join(FIXTURES, "graphs/factory.ts:makeGraph") }, http: { cors: { allow_origins: [pageOrigin] } } };
    fs.writeFileSync(configPath, JSON.stringify(project));
    stack = await startStack({ configPath });
  });
  afterAll(async () => stack?.stop());

  it("the page reads threads, searches, and sees the pagination headers", async () => {
    const thread = await stack.sdk.threads.create({ metadata: { owner: "me" } });
    const page = await foreignPage();
    const got = await attempt(page, `${stack.url}/threads/${thread.thread_id}`, { method: "GET" });
    expect(got).toEqual({ readable: true, status: 200, body: expect.objectContaining({ thread_id: thread.thread_id, metadata: { owner: "me" } }) });
    const searched = await attempt(page, `${stack.url}/threads/search`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ metadata: { owner: "me" } }) });
    expect(searched).toEqual({ readable: true, status: 200, body: [expect.objectContaining({ thread_id: thread.thread_id })] });
    const total = await page.evaluate(async (url) => (await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).headers.get("x-pagination-total"), `${stack.url}/threads/search`);
    expect(total).toBe("1");
    // Another origin still cannot.
    const other = await browser.newPage();
    await other.goto(pageOrigin.replace("127.0.0.1", "localhost"));
    expect(await attempt(other, `${stack.url}/threads/${thread.thread_id}`, { method: "GET" })).toMatchObject({ readable: false });
    await page.close();
    await other.close();
  });
});
