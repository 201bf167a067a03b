// Restarts the PostgreSQL server behind a URL in place (same data, port and options), for the
// cluster suite's "restart of PostgreSQL" fault. Works from the server itself — its data folder
// and running binary — so it needs nothing from the test helper that started it.
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);

export async function restartPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ data_directory: string }>("SHOW data_directory");
  await client.end();
  const dataDir = rows[0]!.data_directory;
  const postmasterPid = fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]!;
  const pgCtl = path.join(path.dirname(fs.readlinkSync(`/proc/${postmasterPid}/exe`)), "pg_ctl");
  // pg_ctl must run as the data folder's owner (initdb refuses root, so under root it is another user).
  const owner = fs.statSync(dataDir).uid;
  // The restarted server's output goes to its log file: a pipe held open by it would never close.
  const args = ["-D", dataDir, "-l", path.join(dataDir, "server.log"), "-m", "fast", "-w", "-t", "60", "restart"];
  const [command, commandArgs] = owner === process.getuid?.() ? [pgCtl, args] : ["runuser", ["-u", (await run("id", ["-nu", String(owner)])).stdout.trim(), "--", pgCtl, ...args]];
  const code = await new Promise<number | null>((resolve) => spawn(command, commandArgs, { stdio: "ignore" }).once("exit", resolve));
  if (code !== 0) throw new Error(`pg_ctl restart exited with ${code}`);
}
