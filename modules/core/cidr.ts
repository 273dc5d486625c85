/** IPv4 CIDR arithmetic on top of ipaddr.js (parsing and validation stay the library's job). */
import * as ipaddr from 'ipaddr.js';

export interface Ipv4Network {
  /** The network address as an unsigned 32-bit integer. */
  readonly base: number;
  readonly prefix: number;
}

const ADDRESS_SPACE = 2 ** 32;

/** Parses `10.0.0.0/16`; returns undefined for anything that is not an IPv4 network without host bits. */
export function parseIpv4Cidr(cidr: string): Ipv4Network | undefined {
  if (!ipaddr.IPv4.isValidCIDR(cidr)) return undefined;
  const [address, prefix] = ipaddr.IPv4.parseCIDR(cidr);
  const base = address.toByteArray().reduce((acc, octet) => acc * 256 + octet, 0);
  if (base % 2 ** (32 - prefix) !== 0) return undefined;
  return { base, prefix };
}

export function mustParseIpv4Cidr(cidr: string): Ipv4Network {
  const network = parseIpv4Cidr(cidr);
  if (!network) throw new Error(`"${cidr}" is not an IPv4 network in CIDR notation (for example 10.20.0.0/16)`);
  return network;
}

export function formatIpv4Cidr(network: Ipv4Network): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(network.base / 2 ** shift) % 256);
  return `${ipaddr.fromByteArray(octets).toString()}/${network.prefix}`;
}

export function sizeOf(network: Ipv4Network): number {
  return 2 ** (32 - network.prefix);
}

/** The `index`-th subnet of `newPrefix` inside `network`. */
export function subnetAt(network: Ipv4Network, newPrefix: number, index: number): Ipv4Network {
  if (newPrefix < network.prefix || newPrefix > 32) {
    throw new Error(`cannot carve a /${newPrefix} out of ${formatIpv4Cidr(network)}`);
  }
  const size = 2 ** (32 - newPrefix);
  const base = network.base + index * size;
  if (index < 0 || base + size > network.base + sizeOf(network) || base >= ADDRESS_SPACE) {
    throw new Error(`subnet ${index} of /${newPrefix} does not fit in ${formatIpv4Cidr(network)}`);
  }
  return { base, prefix: newPrefix };
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = mustParseIpv4Cidr(a);
  const y = mustParseIpv4Cidr(b);
  return x.base < y.base + sizeOf(y) && y.base < x.base + sizeOf(x);
}

export function isValidIpv4Cidr(cidr: string): boolean {
  return parseIpv4Cidr(cidr) !== undefined;
}

/**
 * The fewest CIDRs that cover exactly the addresses of `cidrs` (no address added): contained
 * networks are dropped and aligned neighbours of the same size merged (`10.102.0.0/16` +
 * `10.103.0.0/16` -> `10.102.0.0/15`), repeatedly. Sorted by address.
 */
export function summarizeIpv4Cidrs(cidrs: readonly string[]): string[] {
  let networks = cidrs.map(mustParseIpv4Cidr).sort((a, b) => a.base - b.base || a.prefix - b.prefix);
  for (let merged = true; merged; ) {
    merged = false;
    const next: Ipv4Network[] = [];
    for (const network of networks) {
      const last = next[next.length - 1];
      if (last && network.base + sizeOf(network) <= last.base + sizeOf(last)) continue; // contained in the previous one
      if (last && last.prefix === network.prefix && last.prefix > 0 && last.base % sizeOf({ base: 0, prefix: last.prefix - 1 }) === 0 && last.base + sizeOf(last) === network.base) {
        next[next.length - 1] = { base: last.base, prefix: last.prefix - 1 };
        merged = true;
        continue;
      }
      next.push(network);
    }
    networks = next;
  }
  return networks.map(formatIpv4Cidr);
}
