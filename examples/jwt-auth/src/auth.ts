// Custom auth as on LangGraph Platform: bearer JWTs (HS256, secret in JWT_SECRET) and
// owner-only resources. Every thread, assistant and cron a user creates is stamped with
// `metadata.owner`; every read, search, update and delete is filtered by it, so one user never
// sees another's threads, runs, assistants or crons. Store namespaces begin with the user's id.
// Scopes in the token's `scope` claim gate reads and writes of each resource.
import { Auth, HTTPException } from "@langchain/langgraph-sdk/auth";
import { verifyToken } from "./jwt.ts";

const secret = process.env.JWT_SECRET;
if (!secret) throw new Error("JWT_SECRET must be set (the HS256 key the example's tokens are signed with)");

/** The scope each action needs: reading needs `<resource>:read`, anything else `<resource>:write`. */
function requiredScope(resource: string, action: string): string {
  return ["read", "search", "get", "list_namespaces"].includes(action) ? `${resource}:read` : `${resource}:write`;
}

function checkScope(resource: string, action: string, permissions: string[]): void {
  const scope = requiredScope(resource, action);
  if (!permissions.includes(scope)) throw new HTTPException(403, { message: `Requires the "${scope}" scope` });
}

type Stampable = { metadata?: Record<string, unknown>; payload?: { metadata?: Record<string, unknown> } | null };

/** What the user creates is theirs: a thread's or assistant's metadata, a cron's run payload's. */
function stampOwner(resource: string, value: Stampable, owner: string): void {
  if (resource === "crons") {
    if (value.payload) value.payload.metadata = { ...value.payload.metadata, owner };
  } else if ("metadata" in value) {
    value.metadata = { ...value.metadata, owner };
  }
}

export const auth = new Auth()
  .authenticate(async (request: Request) => {
    const header = request.headers.get("authorization");
    const token = header?.match(/^Bearer (\S+)$/i)?.[1];
    if (!token) throw new HTTPException(401, { message: "Missing bearer token", headers: { "WWW-Authenticate": "Bearer" } });
    try {
      const claims = verifyToken(token, secret);
      return { identity: claims.sub, permissions: claims.scope?.split(" ").filter(Boolean) ?? [] };
    } catch (err) {
      throw new HTTPException(401, { message: `Invalid token: ${(err as Error).message}`, headers: { "WWW-Authenticate": "Bearer" } });
    }
  })
  // The store's items have no metadata: a user's live under namespaces that begin with their id,
  // and every store call, searches and listings included, must name such a namespace.
  .on("store", ({ action, value, user, permissions }) => {
    checkScope("store", action, permissions);
    if (value.namespace?.[0] !== user.identity) {
      throw new HTTPException(403, { message: `Store namespaces must begin with your user id ("${user.identity}")` });
    }
  })
  .on("*", ({ resource, action, value, user, permissions }) => {
    checkScope(resource, action, permissions);
    // What the user creates is theirs (runs stamp the threads they create too)...
    if (["create", "create_run", "update"].includes(action) && typeof value === "object" && value !== null) {
      stampOwner(resource, value as Stampable, user.identity);
    }
    // ...and only what is theirs is visible to them.
    return { owner: user.identity };
  });
