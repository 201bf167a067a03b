// What the routes are given: the services of src/, never storage or Temporal directly.
import type { AssistantsService } from "../src/assistants/assistants-service.ts";
import type { CustomAuth } from "../src/auth/custom-auth.ts";
import type { CronsService } from "../src/crons/crons-service.ts";
import type { RunsService } from "../src/runs/runs-service.ts";
import type { StoreService } from "../src/store/store-service.ts";
import type { RunStreams } from "../src/streaming/run-streams.ts";
import type { ThreadsService } from "../src/threads/threads-service.ts";

export interface Services {
  assistants: AssistantsService;
  threads: ThreadsService;
  runs: RunsService;
  crons: CronsService;
  /** Readers of the runs' event logs (SSE). */
  streams: RunStreams;
  /** The project's custom auth (langgraph.json `auth.path`); absent: no authentication. */
  auth?: CustomAuth;
  /** The store's items and namespaces (spec §3.9). */
  store: StoreService;
  /** GET /ok?check_db=1: throws naming the connection that failed ("database: …", "Temporal: …"). */
  checkDependencies(): Promise<void>;
}

export interface RouteOptions {
  services: Services;
}
