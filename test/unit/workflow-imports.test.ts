// Workflow code is bundled into Temporal's deterministic sandbox: it may import the workflow
// SDK (and the SDK's common core), its own shared definitions, and types from anywhere — never
// a value from Node, LangGraph or our activities (style §1, design "The house").
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const WORKFLOWS = fileURLToPath(new URL("../../workflows/", import.meta.url));
const ALLOWED_VALUE_IMPORTS = /^(@temporalio\/workflow|@temporalio\/common|\.\/[\w-]+\.ts)$/;

it.each(fs.readdirSync(WORKFLOWS).filter((f) => f.endsWith(".ts")))("workflows/%s imports only what the sandbox allows", (file) => {
  const source = fs.readFileSync(path.join(WORKFLOWS, file), "utf8");
  const valueImports = [...source.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]!);
  expect(valueImports.filter((specifier) => !ALLOWED_VALUE_IMPORTS.test(specifier))).toEqual([]);
});
