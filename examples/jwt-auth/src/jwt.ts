// HS256 JSON Web Tokens with Node's crypto alone: enough for the example, no dependency.
import { createHmac, timingSafeEqual } from "node:crypto";

export interface Claims {
  /** The user id. */
  sub: string;
  /** Space-separated permissions, OAuth style: "threads:read threads:write …". */
  scope?: string;
  /** Expiry, seconds since the epoch. */
  exp?: number;
  [claim: string]: unknown;
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");
const sign = (input: string, secret: string) => createHmac("sha256", secret).update(input).digest();

export function signToken(claims: Claims, secret: string): string {
  const input = `${base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${sign(input, secret).toString("base64url")}`;
}

/** The token's claims, or an Error naming why it is not valid (bad shape, algorithm, signature, expired). */
export function verifyToken(token: string, secret: string, nowSeconds = Date.now() / 1000): Claims {
  const parts = token.split(".");
  if (parts.length !== 3) throw new Error("malformed token");
  const [header, payload, signature] = parts as [string, string, string];
  const expected = sign(`${header}.${payload}`, secret);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error("bad signature");
  // Checked after the signature, and only HS256 is accepted ("alg": "none" is refused).
  const { alg } = parseJson(header) as { alg?: unknown };
  if (alg !== "HS256") throw new Error("unsupported algorithm");
  const claims = parseJson(payload) as Claims;
  if (typeof claims?.sub !== "string" || claims.sub === "") throw new Error("no subject");
  if (typeof claims.exp === "number" && claims.exp <= nowSeconds) throw new Error("token expired");
  return claims;
}

function parseJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    throw new Error("malformed token");
  }
}
