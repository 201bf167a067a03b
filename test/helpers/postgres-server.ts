// A throwaway PostgreSQL server for a test file, started from the machine's own binaries: a
// temporary data folder, trust authentication, 127.0.0.1 on a free port, gone after stop().
// Missing binaries are an error, not a skip: the PostgreSQL half of the suite must run.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort } from "../../src/temporal/dev-server.ts";

const run = promisify(execFile);

const BINARIES = ["initdb", "pg_ctl", "postgres"];
const DEBIAN_ROOT = "/usr/lib/postgresql";
const INSTALL_HINT =
  `PostgreSQL's server binaries (${BINARIES.join(", ")}) were found neither on PATH nor in ${DEBIAN_ROOT}/<version>/bin; ` +
  "install them (Debian/Ubuntu: apt-get install -y postgresql)";

export interface PostgresServer {
  /** URL of the server's `postgres` database. */
  url: string;
  /** Creates a new, empty database and returns its URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/** The folder holding all three binaries: PATH first, then Debian's versioned folders, newest first. */
export function findPostgresBinDir(): string {
  const hasAll = (dir: string) => BINARIES.every((name) => fs.existsSync(path.join(dir, name)));
  const onPath = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  const debian = fs.existsSync(DEBIAN_ROOT)
    ? fs.readdirSync(DEBIAN_ROOT).sort((a, b) => Number(b) - Number(a)).map((version) => path.join(DEBIAN_ROOT, version, "bin"))
    : [];
  const dir = [...onPath, ...debian].find(hasAll);
  if (!dir) throw new Error(INSTALL_HINT);
  return dir;
}

/**
 * initdb refuses to run as root, so under root (CI) every server command runs as the
 * `postgres` user that Debian's package creates, owning the data folder.
 */
async function asServerUser(dataDir: string): Promise<(command: string, args: string[]) => Promise<void>> {
  if (process.getuid?.() !== 0) return async (command, args) => void (await run(command, args));
  let ids: { uid: number; gid: number };
  try {
    const id = async (flag: string) => Number((await run("id", [flag, "postgres"])).stdout.trim());
    ids = { uid: await id("-u"), gid: await id("-g") };
  } catch {
    throw new Error("running as root, and there is no `postgres` user to run initdb as (Debian's postgresql package creates it)");
  }
  fs.chownSync(dataDir, ids.uid, ids.gid);
  return async (command, args) => void (await run("runuser", ["-u", "postgres", "--", command, ...args]));
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBinDir();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-pg-"));
  const port = await freePort();
  const serverCommand = await asServerUser(dataDir);
  try {
    // C locale: text sorts by bytes, as in SQLite.
    await serverCommand(path.join(bin, "initdb"), ["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
    // Sockets in the data folder, not /var/run/postgresql (which may not exist); fsync off: a test server.
    const options = `-h 127.0.0.1 -p ${port} -k ${dataDir} -c fsync=off`;
    await serverCommand(path.join(bin, "pg_ctl"), ["-D", dataDir, "-l", path.join(dataDir, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
  } catch (err) {
    const log = path.join(dataDir, "server.log");
    const tail = fs.existsSync(log) ? fs.readFileSync(log, "utf8").slice(-2000) : "";
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${(err as Error).message}\n${tail}`);
  }
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  let databases = 0;
  return {
    url,
    async createDatabase() {
      const name = `test_${++databases}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgresql://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      await serverCommand(path.join(bin, "pg_ctl"), ["-D", dataDir, "-m", "fast", "-w", "stop"]);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
