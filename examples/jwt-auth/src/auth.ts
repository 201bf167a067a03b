// Custom auth as on LangGraph Platform: bearer JWTs (HS256, secret in JWT_SECRET) and
// owner-only resources. Every thread and assistant a user creates is stamped with
// `metadata.owner`; every read, search, update and delete is filtered by it, so one user never
// sees another's threads, runs or assistants. Scopes in the token's `scope` claim gate writes.
import { Auth, HTTPException } from "@langchain/langgraph-sdk/auth";
import { verifyToken } from "./jwt.ts";

const secret = process.env.JWT_SECRET;
if (!secret) throw new Error("JWT_SECRET must be set (the HS256 key the example's tokens are signed with)");

/** The scope each action needs: reading needs `<resource>:read`, anything else `<resource>:write`. */
function requiredScope(resource: string, action: string): string {
  return ["read", "search"].includes(action) ? `${resource}:read` : `${resource}:write`;
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
  .on("*", ({ resource, action, value, user, permissions }) => {
    const scope = requiredScope(resource, action);
    if (!permissions.includes(scope)) throw new HTTPException(403, { message: `Requires the "${scope}" scope` });
    // What the user creates is theirs (runs stamp the threads they create too)...
    if (["create", "create_run", "update"].includes(action) && typeof value === "object" && value !== null && "metadata" in value) {
      (value as { metadata: Record<string, unknown> }).metadata = { ...(value as { metadata?: object }).metadata, owner: user.identity };
    }
    // ...and only what is theirs is visible to them.
    return { owner: user.identity };
  });
