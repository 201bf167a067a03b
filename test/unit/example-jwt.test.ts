// The example's HS256 tokens (examples/jwt-auth/src/jwt.ts): what a forged, altered, expired or
// "alg: none" token gets.
import { describe, expect, it } from "vitest";
import { signToken, verifyToken } from "../../examples/jwt-auth/src/jwt.ts";

const SECRET = "unit-secret";

describe("example HS256 tokens", () => {
  it("accepts its own tokens and reads their claims", () => {
    expect(verifyToken(signToken({ sub: "alice", scope: "threads:read" }, SECRET), SECRET)).toEqual({ sub: "alice", scope: "threads:read" });
  });

  it("refuses other keys, altered claims, expired tokens, alg none and garbage", () => {
    const token = signToken({ sub: "alice", exp: 2_000 }, SECRET);
    expect(() => verifyToken(token, "other-secret", 1_000)).toThrow("bad signature");
    const [header, , signature] = token.split(".");
    const forged = `${header}.${Buffer.from(JSON.stringify({ sub: "bob", exp: 2_000 })).toString("base64url")}.${signature}`;
    expect(() => verifyToken(forged, SECRET, 1_000)).toThrow("bad signature");
    expect(() => verifyToken(token, SECRET, 2_000)).toThrow("token expired");
    const none = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from('{"sub":"bob"}').toString("base64url")}.`;
    expect(() => verifyToken(none, SECRET)).toThrow("bad signature");
    expect(() => verifyToken("a.b", SECRET)).toThrow("malformed token");
    expect(() => verifyToken("", SECRET)).toThrow("malformed token");
  });
});
