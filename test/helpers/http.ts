// Raw HTTP calls to the API, for what the SDK hides: status codes, headers, error bodies.
import { expect } from "vitest";

/** An id in the right format that no test ever stores. */
export const MISSING_ID = "0196f0a0-0000-7000-8000-000000000000";

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** `body`, when given, is sent as JSON; the answer's body is parsed when there is one. */
export async function callApi(baseUrl: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text === "" ? undefined : JSON.parse(text) };
}

/** `call(method, path, body?, headers?)` against the base URL that `baseUrl` gives at call time. */
export function apiCaller(baseUrl: () => string) {
  return (method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer> =>
    callApi(baseUrl(), method, path, body, headers);
}

export type Route = [method: string, path: string, body?: unknown];

/** Each route answers 404 with this `detail` (named in the failure, route by route). */
export async function expectNotFoundOnEach(baseUrl: string, routes: Route[], detail: string): Promise<void> {
  for (const [method, path, body] of routes) {
    const response = await callApi(baseUrl, method, path, body);
    expect({ route: `${method} ${path}`, status: response.status, detail: response.body?.detail }).toEqual({ route: `${method} ${path}`, status: 404, detail });
  }
}
