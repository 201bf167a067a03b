// The project's `Auth` object (`@langchain/langgraph-sdk/auth`), loaded from langgraph.json
// `auth.path`, applied the way the official JS server applies it (langgraph-api dist/auth):
// `authenticate` turns a request into a user; `on(event)` handlers authorize each action.
import { pathToFileURL } from "node:url";
import { type ErrorCode, ServiceError } from "../errors.ts";
import { type AuthFilters, parseAuthFilters } from "./auth-filters.ts";
import type { AuthAction, AuthResource, AuthUser, Caller } from "./caller.ts";

/** `auth` of langgraph.json, as the JS server reads it. */
export interface AuthSettings {
  /** Absolute path of the module of `auth.path` (`<file>:<export>`, relative to langgraph.json). */
  file: string;
  /** `default` when `auth.path` names none. */
  exportName: string;
  /** When false (the default), a request with `x-auth-scheme: langsmith` is LangGraph Studio's user. */
  disableStudioAuth: boolean;
}

type Handler = (event: {
  event: string;
  resource: string;
  action: string;
  value: unknown;
  permissions: string[];
  user: AuthUser;
}) => unknown;

/** The shape of the SDK's Auth instance that we rely on. */
interface HandlerCache {
  authenticate?: (request: Request) => unknown;
  callbacks?: Record<string, Handler>;
}

/** The user of requests made by LangGraph Studio (the JS server's STUDIO_USER). */
const STUDIO_USER: AuthUser = {
  kind: "StudioUser",
  display_name: "langgraph-studio-user",
  identity: "langgraph-studio-user",
  permissions: [],
  is_authenticated: true,
};

export class CustomAuth {
  private constructor(
    private readonly handlers: HandlerCache,
    readonly studioAuthDisabled: boolean,
  ) {}

  static async load(settings: AuthSettings): Promise<CustomAuth> {
    const { file, exportName } = settings;
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const auth = module[exportName] as { "~handlerCache"?: HandlerCache } | undefined;
    if (!auth || typeof auth !== "object" || !auth["~handlerCache"]) {
      throw new Error(`auth.path: ${file} has no Auth instance of @langchain/langgraph-sdk/auth as export "${exportName}"`);
    }
    return new CustomAuth(auth["~handlerCache"], settings.disableStudioAuth);
  }

  /** The caller of a request: Studio's user, the authenticated user, or a ServiceError (401/403). */
  async authenticate(request: Request): Promise<Caller> {
    if (!this.studioAuthDisabled && request.headers.get("x-auth-scheme") === "langsmith") return this.caller(STUDIO_USER);
    if (!this.handlers.authenticate) return this.caller(undefined);
    let returned: unknown;
    try {
      returned = await this.handlers.authenticate(request);
    } catch (err) {
      throw asServiceError(err);
    }
    return this.caller(normaliseUser(returned));
  }

  private caller(user: AuthUser | undefined): Caller {
    return { user, authorize: (resource, action, value) => this.authorize(user, resource, action, value) };
  }

  /** The one authorization call (see Caller.authorize); crons and store call it the same way. */
  async authorize(user: AuthUser | undefined, resource: AuthResource, action: AuthAction, value: Record<string, unknown>): Promise<AuthFilters | undefined> {
    const callbacks = this.handlers.callbacks ?? {};
    const key = [`${resource}:${action}`, resource, `*:${action}`, "*"].find((candidate) => callbacks[candidate]);
    if (!key || !user) return undefined;
    let result: unknown;
    try {
      result = await callbacks[key]!({ event: `${resource}:${action}`, resource, action, value, permissions: user.permissions, user });
    } catch (err) {
      throw asServiceError(err);
    }
    if (result === undefined || result === null || result === true) return undefined;
    if (result === false) throw new ServiceError("forbidden", "Forbidden");
    if (typeof result !== "object" || Array.isArray(result)) {
      throw new Error(`Auth handler for ${resource}:${action} returned ${typeof result}; expected a filter object, null, undefined or a boolean`);
    }
    return parseAuthFilters(result as Record<string, unknown>);
  }
}

/** A string is the identity; an object needs a string `identity` (as the JS server requires). */
function normaliseUser(returned: unknown): AuthUser {
  if (typeof returned === "string") {
    return { identity: returned, display_name: returned, is_authenticated: true, permissions: [] };
  }
  if (returned && typeof returned === "object" && typeof (returned as { identity?: unknown }).identity === "string") {
    const user = returned as Partial<AuthUser> & { identity: string };
    return {
      ...user,
      permissions: Array.isArray(user.permissions) ? user.permissions : [],
      is_authenticated: user.is_authenticated ?? true,
      display_name: user.display_name ?? user.identity,
    };
  }
  throw new Error("authenticate must return a string or an object with a string `identity`");
}

/** The code of each status an HTTPException may carry; another 4xx is a refusal (403). */
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  422: "validation_error",
};

/** The SDK's HTTPException (anything with a numeric `status`) becomes our one error type. */
function asServiceError(err: unknown): unknown {
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status !== "number" || status < 400 || status >= 500) return err;
  return new ServiceError(CODE_BY_STATUS[status] ?? "forbidden", (err as Error).message || "Unauthorized");
}
