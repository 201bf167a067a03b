// Who is making a request, and the one call every resource makes before it reads or writes on
// the caller's behalf (issue 13, LangGraph Platform custom auth). Services receive a Caller from
// the route; storage receives only the filters it returns.
import type { AuthFilters } from "./auth-filters.ts";

/** The user as `authenticate` returned it, normalised as the JS server does. */
export interface AuthUser {
  identity: string;
  display_name: string;
  is_authenticated: boolean;
  permissions: string[];
  [field: string]: unknown;
}

export type AuthResource = "threads" | "assistants" | "crons" | "store";

export type AuthAction =
  | "create" | "read" | "update" | "delete" | "search" | "create_run" // threads, assistants, crons
  | "put" | "get" | "list_namespaces"; // store

export interface Caller {
  /** Absent when the server has no custom auth or the route is public. */
  readonly user?: AuthUser;
  /**
   * Runs the handler for `resource:action` (most specific first: `resource:action`, `resource`,
   * `*:action`, `*`) on `value`, which the handler may change in place (e.g. add metadata the
   * caller then stores). Returns the filters the resource must satisfy, undefined for none.
   * Throws a ServiceError (403, or the handler's HTTPException) when the handler refuses.
   */
  authorize(resource: AuthResource, action: AuthAction, value: Record<string, unknown>): Promise<AuthFilters | undefined>;
}

/** The caller of a server without custom auth (and of public routes): no user, no filters. */
export const ANONYMOUS: Caller = { authorize: async () => undefined };
