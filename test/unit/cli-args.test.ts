// The command line of dev/serve/worker reads like `langgraphjs dev`'s (issue 17).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { CliArgsError, parseServerArgs } from "../../startup/cli-args.ts";

const project = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-cli-args-"));
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

it("reads langgraphjs dev's short and long options", () => {
  const { overrides, notes } = parseServerArgs("dev", ["-c", "conf/lg.json", "-p", "3000", "-h", "0.0.0.0", "--data-dir", "d"], project);
  expect(overrides).toEqual({ configPath: path.join(project, "conf/lg.json"), dataDir: "d", host: "0.0.0.0", port: 3000 });
  expect(notes).toEqual([]);
});

it("takes a folder for --config, as langgraphjs dev does", () => {
  expect(parseServerArgs("serve", ["--config", "."], project).overrides.configPath).toBe(path.join(project, "langgraph.json"));
});

it("leaves the config to the settings' default (./langgraph.json) when not given", () => {
  expect(parseServerArgs("dev", [], project).overrides.configPath).toBeUndefined();
});

it("accepts --no-browser, --no-reload and -n with a note saying they have no effect", () => {
  const { notes } = parseServerArgs("dev", ["--no-browser", "--no-reload", "-n", "4"], project);
  expect(notes).toHaveLength(3);
  expect(notes[0]).toMatch(/--no-browser accepted: .*never opens a browser/);
});

it.each([
  [["--tunnel"], /--tunnel is not supported by langgraph-temporal/],
  [["--debug-port", "9229"], /--debug-port is not supported.*--inspect/],
  [["--bogus"], /Unknown option '--bogus'/],
  [["--port", "http"], /--port must be a port number, got "http"/],
  [["extra"], /positional/i],
])("refuses %j with a message naming it", (args, message) => {
  expect(() => parseServerArgs("dev", args, project)).toThrow(CliArgsError);
  expect(() => parseServerArgs("dev", args, project)).toThrow(message);
});

it("refuses --port for the worker, which serves no API", () => {
  expect(() => parseServerArgs("worker", ["--port", "1"], project)).toThrow(/worker serves no API/);
});
