// Webhook targets (issue 13): http(s) only; loopback, link-local, private and multicast
// addresses refused unless allowed, whether written as an address or as a name resolving to one.
import { describe, expect, it } from "vitest";
import { ServiceError } from "../../src/errors.ts";
import { checkWebhookTarget, guardedLookup, isPrivateAddress } from "../../src/runs/webhook-target.ts";

const strict = { allowPrivateNetworks: false };

describe("isPrivateAddress", () => {
  it.each([
    "127.0.0.1", "127.8.9.10", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
    "100.64.0.1", "224.0.0.1", "::1", "::", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
  ])("%s is private", (address) => expect(isPrivateAddress(address)).toBe(true));

  it.each(["8.8.8.8", "172.32.0.1", "1.1.1.1", "2606:4700::1111", "::ffff:8.8.8.8"])("%s is public", (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe("checkWebhookTarget", () => {
  async function refusal(url: string): Promise<ServiceError> {
    const error = await checkWebhookTarget(url, strict).then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(ServiceError);
    return error as ServiceError;
  }

  it("refuses other schemes, relative URLs and private targets with a 422 naming webhook", async () => {
    for (const url of ["ftp://example.com/x", "file:///etc/passwd", "/hooks", "http://127.0.0.1:9/x", "http://[::1]/x", "http://localhost:8080/", "http://169.254.169.254/latest/meta-data"]) {
      const error = await refusal(url);
      expect({ url, code: error.code, param: error.param }).toEqual({ url, code: "validation_error", param: "webhook" });
    }
    expect((await refusal("http://localhost/")).message).toMatch(/loopback, link-local or private address \((127\.0\.0\.1|::1)\)/);
  });

  it("allows public addresses, and private ones when configured", async () => {
    await expect(checkWebhookTarget("https://93.184.215.14/hook", strict)).resolves.toBeUndefined();
    await expect(checkWebhookTarget("http://127.0.0.1:9/x", { allowPrivateNetworks: true })).resolves.toBeUndefined();
    expect((await refusal("ftp://127.0.0.1/")).message).toContain("http or https only");
  });
});

describe("guardedLookup (send time: the socket connects to the address checked)", () => {
  const lookup = (policy: { allowPrivateNetworks: boolean }, host: string) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((resolve) => {
      guardedLookup(policy)(host, {}, (error, address) => resolve({ error, address }));
    });

  it("refuses a name that resolves to a private address, unless allowed", async () => {
    const refused = await lookup(strict, "localhost");
    expect(refused.error?.code).toBe("EWEBHOOKPRIVATE");
    expect(refused.error?.message).toMatch(/webhook host "localhost" resolves to a private address/);
    const allowed = await lookup({ allowPrivateNetworks: true }, "localhost");
    expect(allowed.error).toBeNull();
    expect(isPrivateAddress(String(allowed.address))).toBe(true);
  });
});
