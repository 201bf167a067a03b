// Every error code the server can answer with is listed, with its status, in the README.
import fs from "node:fs";
import { expect, it } from "vitest";
import { STATUS_BY_CODE } from "../../server/error-handler.ts";
import { REPO_ROOT } from "../helpers/stack.ts";

it("the README lists every error code and its status", () => {
  const readme = fs.readFileSync(`${REPO_ROOT}README.md`, "utf8");
  const codes = /Codes: ([^\n]+(?:\n[^\n]+)*?)\.\n/.exec(readme)?.[1] ?? "";
  for (const [code, status] of Object.entries(STATUS_BY_CODE)) {
    expect(codes, code).toMatch(new RegExp(`\`${code}\`[^()]*\\(${status}\\)`));
  }
});
