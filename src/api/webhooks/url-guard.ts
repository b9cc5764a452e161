// Refuses webhook URLs that point into the server's own network: loopback, private, link-local, CGNAT,
// unspecified and multicast addresses (after DNS resolution), so a subscription cannot probe internal services.

import { lookup } from "node:dns/promises";
import { isIP } from "node:net";

export const webhookUrlLengthMax = 2048;

export type UrlCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

function ipv4Parts(address: string): number[] {
  return address.split(".").map((p) => Number(p));
}

/** True for addresses a webhook must not reach in production. */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) {
    const [a = 0, b = 0] = ipv4Parts(address);
    return (
      a === 0 || // unspecified / "this network"
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 192 && b === 0) ||
      (a === 198 && (b === 18 || b === 19)) ||
      a >= 224 // multicast, reserved, broadcast
    );
  }
  if (family === 6) {
    const lower = address.toLowerCase();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (mapped?.[1]) return isForbiddenAddress(mapped[1]);
    return (
      lower === "::" ||
      lower === "::1" ||
      /^f[cd]/.test(lower) || // unique local fc00::/7
      /^fe[89ab]/.test(lower) || // link-local fe80::/10
      /^ff/.test(lower) // multicast
    );
  }
  return true;
}

export type Resolver = (host: string) => Promise<readonly string[]>;

export const systemResolver: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((r) => r.address);

/** Checks a subscription URL: http(s), no credentials, and every address it resolves to is public. */
export async function checkWebhookUrl(
  url: string,
  allowPrivate: boolean,
  resolve: Resolver = systemResolver,
): Promise<UrlCheck> {
  if (url.length > webhookUrlLengthMax) return { ok: false, reason: "the URL is too long" };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: "not a URL" };
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    return { ok: false, reason: "only http and https URLs are allowed" };
  }
  if (parsed.username || parsed.password)
    return { ok: false, reason: "credentials in the URL are not allowed" };
  if (allowPrivate) return { ok: true };
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  let addresses: readonly string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      return { ok: false, reason: `the host ${host} does not resolve` };
    }
  }
  if (addresses.length === 0) return { ok: false, reason: `the host ${host} does not resolve` };
  const bad = addresses.find(isForbiddenAddress);
  if (bad !== undefined) return { ok: false, reason: `the host resolves to a non-public address (${bad})` };
  return { ok: true };
}
