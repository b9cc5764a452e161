// Refuses webhook targets inside the server's own network. An address is public only if ipaddr.js calls it
// `unicast` (IPv4) or it is global unicast IPv6 whose embedded IPv4, if it carries one, is public too; anything
// unparsed, unknown or special is refused (fail closed). The same check guards registration and the connect.

import type { LookupAddress, LookupOptions } from "node:dns";
import { lookup } from "node:dns/promises";
import { isIP, type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

export const webhookUrlLengthMax = 2048;
/** Answers per host name that are checked and offered to the socket; a longer answer is refused. */
export const resolvedAddressesMax = 32;

export type UrlCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Thrown from the connect-time lookup (and the literal check) when a delivery would reach a private address. */
export class WebhookAddressForbiddenError extends Error {
  readonly code = "webhook_url_forbidden";
}

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

function ipv4FromWords(high: number, low: number): IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

function ipv4Refusal(address: IPv4): string | null {
  const range = address.range();
  return range === "unicast" ? null : `${address.toString()} is ${range}`;
}

/** The refusal of an IPv4 address embedded in an IPv6 one, phrased with the carrier. */
function embeddedRefusal(address: IPv6, form: string, embedded: readonly IPv4[]): string | null {
  for (const v4 of embedded) {
    const refusal = ipv4Refusal(v4);
    if (refusal !== null) return `${address.toString()} is ${form} carrying ${refusal}`;
  }
  return null;
}

function isGlobalUnicastPrefix(address: IPv6): boolean {
  // 2000::/3: everything else (besides the transition forms handled before) is not on the public internet.
  return ((address.parts[0] ?? 0) & 0xe000) === 0x2000;
}

function ipv6Refusal(address: IPv6): string | null {
  const p = address.parts;
  const word = (i: number): number => p[i] ?? 0;
  const text = address.toString();
  // ::/96 (IPv4-compatible, deprecated by RFC 4291; also :: and ::1): no global route, refused whatever it carries.
  if (p.slice(0, 6).every((w) => w === 0)) {
    if (word(6) === 0 && word(7) <= 1) return `${text} is ${address.range()}`;
    return (
      embeddedRefusal(address, "IPv4-compatible", [ipv4FromWords(word(6), word(7))]) ??
      `${text} is IPv4-compatible (deprecated, not routed)`
    );
  }
  const range = address.range();
  switch (range) {
    case "ipv4Mapped":
      // ::ffff:a.b.c.d: a dual-stack socket connects to the IPv4 address itself.
      return embeddedRefusal(address, "IPv4-mapped", [address.toIPv4Address()]);
    case "rfc6052":
      // 64:ff9b::/96 embeds the IPv4 in its last 32 bits. The local-use 64:ff9b:1::/48 (RFC 8215) places it
      // where the operator chose and is not globally reachable, so it is refused as a whole.
      if (word(2) !== 0) return `${text} is in the local-use NAT64 prefix 64:ff9b:1::/48`;
      return embeddedRefusal(address, "NAT64", [ipv4FromWords(word(6), word(7))]);
    case "6to4":
      return embeddedRefusal(address, "6to4", [ipv4FromWords(word(1), word(2))]);
    case "teredo":
      // 2001:0::/32: the server's IPv4 in bits 32–63, the client's in bits 96–127 with every bit inverted.
      return embeddedRefusal(address, "Teredo", [
        ipv4FromWords(word(2), word(3)),
        ipv4FromWords(word(6) ^ 0xffff, word(7) ^ 0xffff),
      ]);
    case "unicast":
      return isGlobalUnicastPrefix(address) ? null : `${text} is outside global unicast 2000::/3`;
    default:
      return `${text} is ${range}`;
  }
}

/**
 * Why a delivery must not reach `address`, or null if it is public. Accepts every form ipaddr.js parses:
 * dotted, decimal (`2130706433`), octal (`0177.0.0.1`), hex (`0x7f.1`), short (`127.1`) and any IPv6 text.
 */
export function addressRefusal(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, "");
  const compatible = /^::(\d+\.\d+\.\d+\.\d+)$/.exec(bare)?.[1];
  if (compatible !== undefined) {
    // ipaddr.js reads `::a.b.c.d` as IPv4-mapped; RFC 4291 (and the socket) read it as IPv4-compatible ::/96.
    if (!ipaddr.IPv4.isValidFourPartDecimal(compatible)) return `${address} is not an IP address`;
    const [a = 0, b = 0, c = 0, d = 0] = ipaddr.IPv4.parse(compatible).octets;
    return ipv6Refusal(new ipaddr.IPv6([0, 0, 0, 0, 0, 0, (a << 8) | b, (c << 8) | d]));
  }
  if (!ipaddr.isValid(bare)) return `${address} is not an IP address`;
  const parsed = ipaddr.parse(bare);
  return parsed.kind() === "ipv4" ? ipv4Refusal(parsed as IPv4) : ipv6Refusal(parsed as IPv6);
}

/** True for addresses a webhook must not reach in production. */
export function isForbiddenAddress(address: string): boolean {
  return addressRefusal(address) !== null;
}

/** True when node would connect to `host` without a lookup, or ipaddr.js reads it as an address. */
export function isIpLiteral(host: string): boolean {
  return isIP(host) !== 0 || ipaddr.isValid(host);
}

export type Resolver = (host: string) => Promise<readonly string[]>;

export const systemResolver: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((r) => r.address);

export type ParsedUrlCheck =
  | { readonly ok: true; readonly url: URL }
  | { readonly ok: false; readonly reason: string };

/** The parts of the check that need no network: length, scheme, no credentials. */
export function parseWebhookUrl(url: string): ParsedUrlCheck {
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
  return { ok: true, url: parsed };
}

/** The URL's host without IPv6 brackets (WHATWG parsing has already turned numeric IPv4 forms into dotted). */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

export type ResolvedCheck =
  | { readonly ok: true; readonly addresses: readonly string[] }
  /** `forbidden` false: the name did not resolve (may be transient), nothing private was seen. */
  | { readonly ok: false; readonly forbidden: boolean; readonly reason: string };

/**
 * Resolves `host` once and checks every answer: one private answer refuses the host, so a resolver cannot mix a
 * public and a private address and let the connection pick. With `allowPrivate` nothing is refused.
 */
export async function resolveCheckedAddresses(
  host: string,
  allowPrivate: boolean,
  resolve: Resolver,
): Promise<ResolvedCheck> {
  let addresses: readonly string[];
  if (isIpLiteral(host)) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      return { ok: false, forbidden: false, reason: `the host ${host} does not resolve` };
    }
  }
  if (addresses.length === 0)
    return { ok: false, forbidden: false, reason: `the host ${host} does not resolve` };
  if (addresses.length > resolvedAddressesMax) {
    const reason = `the host ${host} resolves to more than ${resolvedAddressesMax} addresses`;
    return { ok: false, forbidden: true, reason };
  }
  if (!allowPrivate) {
    for (const address of addresses) {
      const refusal = addressRefusal(address);
      if (refusal !== null) {
        return {
          ok: false,
          forbidden: true,
          reason: `the host resolves to a non-public address (${refusal})`,
        };
      }
    }
  }
  return { ok: true, addresses };
}

/** Checks a subscription URL: http(s), no credentials, and every address it resolves to is public. */
export async function checkWebhookUrl(
  url: string,
  allowPrivate: boolean,
  resolve: Resolver = systemResolver,
): Promise<UrlCheck> {
  const parsed = parseWebhookUrl(url);
  if (!parsed.ok) return parsed;
  if (allowPrivate) return { ok: true };
  const checked = await resolveCheckedAddresses(bareHost(parsed.url), false, resolve);
  return checked.ok ? { ok: true } : { ok: false, reason: checked.reason };
}

function notFound(message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code: "ENOTFOUND" });
}

/**
 * A `lookup` for node's sockets that resolves through `resolve` and hands the socket only addresses it has just
 * checked: the address checked is the address connected to, so a DNS answer that changes between a check and
 * the connect (rebinding) has nothing to slip through. Refusals fail the connect with WebhookAddressForbiddenError.
 */
export function guardedLookup(resolve: Resolver, allowPrivate: boolean): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    resolveCheckedAddresses(hostname, allowPrivate, resolve).then(
      (checked) => {
        if (!checked.ok) {
          callback(
            checked.forbidden ? new WebhookAddressForbiddenError(checked.reason) : notFound(checked.reason),
            [],
          );
          return;
        }
        const wanted = options.family === 4 || options.family === 6 ? options.family : null;
        // Node's own reading of the family; an answer node cannot connect to is dropped, never rewritten.
        const answers: LookupAddress[] = checked.addresses
          .map((address) => ({ address, family: isIP(address) }))
          .filter((a) => a.family !== 0 && (wanted === null || a.family === wanted));
        const first = answers[0];
        if (first === undefined) {
          callback(notFound(`the host ${hostname} has no usable address`), []);
        } else if (options.all) callback(null, answers);
        else callback(null, first.address, first.family);
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, []),
    );
  };
}
