// What the routes are given: the services of src/, never storage or Temporal directly.
import type { AssistantsService } from "../src/assistants/assistants-service.ts";
import type { RunsService } from "../src/runs/runs-service.ts";
import type { ThreadsService } from "../src/threads/threads-service.ts";

export interface Services {
  assistants: AssistantsService;
  threads: ThreadsService;
  runs: RunsService;
  /** Throws when storage or Temporal is unreachable (GET /ok?check_db=1). */
  checkDependencies(): Promise<void>;
}

export interface RouteOptions {
  services: Services;
}
