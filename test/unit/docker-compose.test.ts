// docker-compose.yml describes the scale-out (design "Embedded default and scale-out"). No
// Docker engine runs in CI, so the file is parsed with the `yaml` package (anchors and merge
// keys as Compose reads them), `${VAR:-default}` is resolved as Compose does, and the result is checked against
// the CLI, the settings and the README.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readSettings } from "../../src/settings.ts";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  deploy?: { replicas?: number | string };
}

interface ComposeFile {
  services: Record<string, Service>;
}

const composeText = fs.readFileSync(path.join(REPO_ROOT, "docker-compose.yml"), "utf8");
const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");

/** Compose's `${VAR}` / `${VAR:-default}` interpolation (`$$` is a literal `$`). */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\{(\w+)(?::-([^}]*))?\}/g, (match, name?: string, fallback?: string) =>
    match === "$$" ? "$$" : (env[name!] || fallback || ""),
  );
}

function load(env: Record<string, string> = {}): ComposeFile {
  return parse(interpolate(composeText, env), { merge: true }) as ComposeFile;
}

/** The README's section under `## title`, up to the next section. */
function readmeSection(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${title}" section`);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** Variables in the README's Configuration table. */
const configurationVariables = new Set([...readmeSection("Configuration").matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]));

describe("docker-compose.yml", () => {
  const { services } = load();

  it("runs PostgreSQL, a Temporal cluster with its Web UI, the API and the worker", () => {
    expect(Object.keys(services).sort()).toEqual(["api", "postgresql", "temporal", "temporal-ui", "worker"]);
  });

  it("runs the API and the worker as replicas of the server's image, with the CLI's serve and worker commands", () => {
    expect(services.api!.command).toEqual(["serve"]);
    expect(services.worker!.command).toEqual(["worker"]);
    for (const name of ["api", "worker"]) {
      expect(services[name]!.build).toBe(".");
      expect(Number(services[name]!.deploy?.replicas)).toBeGreaterThanOrEqual(2);
    }
    const dockerfile = fs.readFileSync(path.join(REPO_ROOT, "Dockerfile"), "utf8");
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "bin\/langgraph-temporal\.js"\]$/m);
    for (const folder of ["bin", "src", "server", "workflows", "activities"]) expect(dockerfile).toMatch(new RegExp(`^COPY ${folder} `, "m"));
  });

  it("takes the number of replicas from the environment", () => {
    const scaled = load({ API_REPLICAS: "3", WORKER_REPLICAS: "5" }).services;
    expect(Number(scaled.api!.deploy?.replicas)).toBe(3);
    expect(Number(scaled.worker!.deploy?.replicas)).toBe(5);
  });

  it("points the API and the worker at the compose PostgreSQL and Temporal, with settings the server accepts", () => {
    for (const name of ["api", "worker"]) {
      const env = Object.fromEntries(Object.entries(services[name]!.environment ?? {}).map(([k, v]) => [k, String(v)]));
      const settings = readSettings(env);
      expect(new URL(settings.databaseUrl!).host).toBe("postgresql:5432");
      expect(settings.temporal.address).toBe("temporal:7233");
      // The project folder mounted into the container holds the langgraph.json the settings name.
      const [source, target] = services[name]!.volumes![0]!.split(":");
      expect(path.dirname(settings.configPath)).toBe(target);
      expect(fs.existsSync(path.join(REPO_ROOT, source!, "langgraph.json"))).toBe(true);
    }
    expect(readSettings(Object.fromEntries(Object.entries(services.api!.environment!).map(([k, v]) => [k, String(v)]))).host).toBe("0.0.0.0");
  });

  it("starts Temporal on the same PostgreSQL with the same credentials", () => {
    const db = services.postgresql!.environment!;
    const temporal = services.temporal!.environment!;
    expect(services.temporal!.image).toMatch(/^temporalio\/auto-setup:/);
    expect(temporal).toMatchObject({ DB: "postgres12", POSTGRES_SEEDS: "postgresql", POSTGRES_USER: db.POSTGRES_USER, POSTGRES_PWD: db.POSTGRES_PASSWORD });
    expect(services["temporal-ui"]!.environment).toMatchObject({ TEMPORAL_ADDRESS: "temporal:7233" });
  });

  it("sets only variables the README's Configuration table lists on the API and the worker", () => {
    for (const name of ["api", "worker"]) {
      for (const variable of Object.keys(services[name]!.environment ?? {})) expect(configurationVariables).toContain(variable);
    }
  });

  it("takes every credential from the environment and documents every variable it reads", () => {
    const password = load({ POSTGRES_PASSWORD: "from-env" }).services;
    expect(password.postgresql!.environment!.POSTGRES_PASSWORD).toBe("from-env");
    expect(password.temporal!.environment!.POSTGRES_PWD).toBe("from-env");
    expect(new URL(String(password.api!.environment!.DATABASE_URL)).password).toBe("from-env");
    const scaleOut = readmeSection("Scale-out");
    for (const [, variable] of composeText.matchAll(/\$\{(\w+)/g)) expect(scaleOut).toContain(`\`${variable}\``);
  });

  it("publishes ports on the loopback interface only", () => {
    const ports = Object.values(services).flatMap((service) => service.ports ?? []);
    expect(ports.length).toBeGreaterThan(0);
    for (const port of ports) expect(port).toMatch(/^127\.0\.0\.1:/);
  });
});
