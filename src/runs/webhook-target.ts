// Where a run's webhook may POST (issue 13, safe defaults): http(s) only, and never an address
// on the server's own host or network unless the operator allows it. The name is resolved
// when the run is created (a 422 naming `webhook`) and again when the webhook is sent, with
// the connection made to the very address that was checked, so DNS cannot smuggle one back in.
import dns from "node:dns";
import net from "node:net";
import { invalid } from "../errors.ts";

export interface WebhookPolicy {
  /** Allow loopback, link-local and private targets (env WEBHOOK_ALLOW_PRIVATE_NETWORKS). */
  allowPrivateNetworks: boolean;
}

/** Loopback, unspecified, link-local, private (RFC 1918, CGNAT, ULA) and multicast ranges. */
const BLOCKED = new net.BlockList();
for (const [prefix, bits] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16],
  ["172.16.0.0", 12], ["192.168.0.0", 16], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) BLOCKED.addSubnet(prefix, bits, "ipv4");
for (const [prefix, bits] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8]] as const) {
  BLOCKED.addSubnet(prefix, bits, "ipv6");
}

export function isPrivateAddress(address: string): boolean {
  const family = net.isIPv6(address) ? "ipv6" : "ipv4";
  // An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is checked as the IPv4 address it maps.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? BLOCKED.check(mapped[1]!, "ipv4") : BLOCKED.check(address, family);
}

/** The parsed URL, or a 422 naming `webhook`: http(s) only. */
export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid("webhook", `"${raw}" is not an absolute http(s) URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw invalid("webhook", `scheme "${url.protocol}" is not allowed (http or https only)`);
  return url;
}

/** Create-time check: scheme, then every address the host resolves to. */
export async function checkWebhookTarget(raw: string, policy: WebhookPolicy): Promise<void> {
  const url = parseWebhookUrl(raw);
  if (policy.allowPrivateNetworks) return;
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  let addresses: string[];
  try {
    addresses = net.isIP(host) ? [host] : (await dns.promises.lookup(host, { all: true })).map((a) => a.address);
  } catch {
    throw invalid("webhook", `host "${host}" does not resolve`);
  }
  const blocked = addresses.find(isPrivateAddress);
  if (blocked) throw invalid("webhook", `host "${host}" is a loopback, link-local or private address (${blocked}); set WEBHOOK_ALLOW_PRIVATE_NETWORKS=true to allow it`);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * A `lookup` for node:http(s) requests that refuses private addresses: the socket connects to
 * the address this returns, so the check and the connection see the same answer.
 */
export function guardedLookup(policy: WebhookPolicy) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const blocked = policy.allowPrivateNetworks ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (blocked) {
        const refused: NodeJS.ErrnoException = new Error(`webhook host "${hostname}" resolves to a private address (${blocked.address})`);
        refused.code = "EWEBHOOKPRIVATE";
        return callback(refused, []);
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
