// Every setting of the server, read once from the environment (and CLI flags) and passed down.
// Nothing below src/ reads process.env; the README lists each variable.
import os from "node:os";
import path from "node:path";
import type { WebhookPolicy } from "./runs/webhook-target.ts";

export interface Settings {
  /** Path of the langgraph.json that names the graphs. */
  configPath: string;
  /** Folder for the SQLite database and the Temporal dev server's file. */
  dataDir: string;
  /** A `postgres://` or `postgresql://` URL selects PostgreSQL; unset, storage is SQLite in `dataDir`. */
  databaseUrl: string | undefined;
  host: string;
  port: number;
  temporal: TemporalSettings;
  steps: StepSettings;
  /** Maximum duration of one run before it ends `timeout` (spec §5.1). */
  maxRunSeconds: number;
  /** Overrides langgraph.json's `checkpointer.ttl.sweep_interval_minutes` (tests sweep every few seconds). */
  ttlSweepIntervalSeconds: number | undefined;
  /** `config`/`context` of system assistants by graph id (env LANGGRAPH_CONFIG, spec §2.3). */
  systemAssistantConfig: Record<string, Record<string, unknown>>;
  /** Origins allowed to read the API from a browser (env CORS_ALLOW_ORIGINS); `http.cors` wins. */
  corsAllowOrigins: string[];
  webhooks: WebhookPolicy;
  /** The API's log level (pino's names). */
  logLevel: string;
}

export interface TemporalSettings {
  /** host:port of the Temporal frontend; the dev server is started there by `dev`. */
  address: string;
  namespace: string;
  taskQueue: string;
  /** Port of the dev server's Web UI. */
  uiPort: number;
  /** An existing `temporal` binary to use instead of provisioning one. */
  cliPath: string | undefined;
  /** Where a provisioned Temporal CLI is kept, outside the checkout so fresh clones reuse it. */
  cacheDir: string;
  /** Temporal Cloud or any TLS frontend: client certificate and key files (mTLS), or an API key. */
  tls: { certPath: string; keyPath: string } | undefined;
  apiKey: string | undefined;
  /** host:port where a worker serves Prometheus metrics (SDK and steps); none when unset. */
  workerMetricsAddress: string | undefined;
}

export interface StepSettings {
  /**
   * A step whose worker stops heartbeating for this long is retried elsewhere: the bound on
   * noticing a dead worker, and on how long a node may block its worker's event loop
   * (activities/step-heartbeat.ts).
   */
  heartbeatTimeoutSeconds: number;
  /** Upper bound of one super-step. */
  timeoutSeconds: number;
  /** Attempts per step before the run ends `error` (spec §5.1: default 3). */
  maxAttempts: number;
  /** First retry delay; doubles on each attempt. */
  retryInitialIntervalMs: number;
}

export type Env = Record<string, string | undefined>;

export class SettingsError extends Error {
  override name = "SettingsError";
}

function integer(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new SettingsError(`${name} must be an integer >= ${min} (got "${raw}")`);
  }
  return value;
}

function boolean(env: Env, name: string): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === "" || raw === "false" || raw === "0") return false;
  if (raw === "true" || raw === "1") return true;
  throw new SettingsError(`${name} must be true or false (got "${env[name]}")`);
}

/** `LANGGRAPH_CONFIG`: JSON keyed by graph id (spec §2.3); also read from `env` in langgraph.json. */
export function parseGraphConfigs(raw: string | undefined, name = "LANGGRAPH_CONFIG"): Record<string, Record<string, unknown>> {
  if (!raw) return {};
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, Record<string, unknown>>;
  } catch {
    // reported below
  }
  throw new SettingsError(`${name} must be a JSON object keyed by graph id`);
}

function list(env: Env, name: string): string[] {
  return (env[name] ?? "").split(",").map((item) => item.trim()).filter(Boolean);
}

function databaseUrl(env: Env): string | undefined {
  const raw = env.DATABASE_URL;
  if (!raw) return undefined;
  if (!/^postgres(ql)?:\/\//.test(raw)) {
    throw new SettingsError("DATABASE_URL must be a postgres:// or postgresql:// URL (leave it unset for SQLite)");
  }
  return raw;
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

function logLevel(env: Env): string {
  const raw = env.LOG_LEVEL || "warn";
  if (!LOG_LEVELS.includes(raw)) throw new SettingsError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")} (got "${raw}")`);
  return raw;
}

/** Flags given on the command line win over the environment. */
export interface SettingsOverrides {
  configPath?: string;
  dataDir?: string;
  host?: string;
  port?: number;
}

export function readSettings(env: Env, overrides: SettingsOverrides = {}, cwd = process.cwd()): Settings {
  const configPath = overrides.configPath ?? env.LANGGRAPH_CONFIG_PATH ?? "langgraph.json";
  const dataDir = overrides.dataDir ?? env.LANGGRAPH_TEMPORAL_DATA_DIR ?? ".data";
  return {
    configPath: path.resolve(cwd, configPath),
    dataDir: path.resolve(cwd, dataDir),
    databaseUrl: databaseUrl(env),
    host: overrides.host ?? env.HOST ?? "127.0.0.1",
    port: overrides.port ?? integer(env, "PORT", 2024),
    temporal: {
      address: env.TEMPORAL_ADDRESS ?? "127.0.0.1:7233",
      namespace: env.TEMPORAL_NAMESPACE ?? "default",
      taskQueue: env.TEMPORAL_TASK_QUEUE ?? "langgraph-runs",
      uiPort: integer(env, "TEMPORAL_UI_PORT", 8233),
      cliPath: env.TEMPORAL_CLI_PATH || undefined,
      workerMetricsAddress: env.WORKER_METRICS_ADDRESS || undefined,
      tls: env.TEMPORAL_TLS_CERT && env.TEMPORAL_TLS_KEY ? { certPath: env.TEMPORAL_TLS_CERT, keyPath: env.TEMPORAL_TLS_KEY } : undefined,
      apiKey: env.TEMPORAL_API_KEY || undefined,
      cacheDir: env.LANGGRAPH_TEMPORAL_CACHE_DIR ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "langgraph-temporal"),
    },
    // A SIGKILLed worker's step starts again elsewhere after about the heartbeat timeout plus
    // the first retry delay: 3 s + 0.5 s keeps that under 5 s, while a node may still hold the
    // event loop for about 2.5 s without its step being taken for dead (README, Configuration).
    steps: {
      heartbeatTimeoutSeconds: integer(env, "STEP_HEARTBEAT_TIMEOUT_SECONDS", 3, 1),
      timeoutSeconds: integer(env, "STEP_TIMEOUT_SECONDS", 600, 1),
      maxAttempts: integer(env, "STEP_MAX_ATTEMPTS", 3, 1),
      retryInitialIntervalMs: integer(env, "STEP_RETRY_INITIAL_INTERVAL_MS", 500, 1),
    },
    maxRunSeconds: integer(env, "MAX_RUN_SECONDS", 3600, 1),
    ttlSweepIntervalSeconds: env.TTL_SWEEP_INTERVAL_SECONDS ? integer(env, "TTL_SWEEP_INTERVAL_SECONDS", 0, 1) : undefined,
    systemAssistantConfig: parseGraphConfigs(env.LANGGRAPH_CONFIG),
    corsAllowOrigins: list(env, "CORS_ALLOW_ORIGINS"),
    webhooks: { allowPrivateNetworks: boolean(env, "WEBHOOK_ALLOW_PRIVATE_NETWORKS") },
    logLevel: logLevel(env),
  };
}
