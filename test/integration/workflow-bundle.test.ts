// The worker's workflow bundle: made by a child process, then read from the cache until a file it
// was made from changes.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { BundleMessage } from "../../startup/workflow-bundle.ts";
import { workflowBundle } from "../../startup/workflow-bundle.ts";

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-bundle-cache-"));
const entryFile = () => {
  const dir = path.join(cacheDir, "workflow-bundles");
  return path.join(dir, fs.readdirSync(dir).find((name) => name.endsWith(".json"))!);
};
const readEntry = () => JSON.parse(fs.readFileSync(entryFile(), "utf8")) as BundleMessage;
const writeEntry = (entry: BundleMessage) => fs.writeFileSync(entryFile(), JSON.stringify(entry));

afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

describe("workflow bundle", () => {
  it("is bundled in a child process and cached with the hashes of the files it was made from", async () => {
    const { code } = await workflowBundle(cacheDir);
    expect(code).toContain("threadWorkflow");
    const entry = readEntry();
    expect(entry.code).toBe(code);
    const inputs = Object.keys(entry.inputs);
    expect(inputs).toContain(path.resolve("workflows/thread-workflow.ts"));
    expect(inputs.some((file) => file.includes(`${path.sep}@temporalio${path.sep}workflow${path.sep}`))).toBe(true);
  });

  it("is read from the cache while its inputs are unchanged", async () => {
    writeEntry({ ...readEntry(), code: "// from the cache" });
    expect((await workflowBundle(cacheDir)).code).toBe("// from the cache");
  });

  it("is made again when an input changed", async () => {
    const entry = readEntry();
    const [file] = Object.keys(entry.inputs);
    writeEntry({ ...entry, inputs: { ...entry.inputs, [file!]: "0".repeat(64) } });
    const { code } = await workflowBundle(cacheDir);
    expect(code).toContain("threadWorkflow");
    expect(readEntry().inputs[file!]).toBe(entry.inputs[file!]);
  });
});
