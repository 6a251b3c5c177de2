// Address, prefix and range arithmetic for IPv4 and IPv6, strict the way Go's net package is
// (PureLB and Calico are Go): no leading zeros, no spaces, prefix within the family's width.
import { isIPv4, isIPv6 } from 'node:net';
import { normalizeCidr } from 'cidr-tools';
import { parseIp, stringifyIp } from 'ip-bigint';

export type Family = 4 | 6;

/** A closed interval of addresses of one family. */
export type Interval = { family: Family; start: bigint; end: bigint };

export type Cidr = Interval & {
  /** The address as written (host bits kept). */
  address: bigint;
  prefix: number;
  /** True when the written address is the network address. */
  canonical: boolean;
  /** The network form, e.g. 10.0.0.0/24 for 10.0.0.5/24. */
  network: string;
};

export const bits = (family: Family): number => (family === 4 ? 32 : 128);

export function parseAddress(text: string): { family: Family; value: bigint } | undefined {
  if (isIPv4(text)) return { family: 4, value: parseIp(text).number };
  // Zones (fe80::1%eth0) are not valid in these manifests.
  if (isIPv6(text) && !text.includes('%')) return { family: 6, value: parseIp(text).number };
  return undefined;
}

export function formatAddress(family: Family, value: bigint): string {
  return stringifyIp({ number: value, version: family });
}

/** Parses `address/prefix` strictly; undefined when it is not a CIDR. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addr = parseAddress(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!addr || !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const width = bits(addr.family);
  if (prefix > width) return undefined;
  const hostBits = BigInt(width - prefix);
  const size = 1n << hostBits;
  const start = (addr.value >> hostBits) << hostBits;
  const network = normalizeCidr(`${formatAddress(addr.family, start)}/${prefix}`);
  return {
    family: addr.family,
    start,
    end: start + size - 1n,
    address: addr.value,
    prefix,
    canonical: start === addr.value,
    network,
  };
}

export const intervalSize = (i: Interval): bigint => i.end - i.start + 1n;

export const contains = (outer: Interval, inner: Interval): boolean =>
  outer.family === inner.family && outer.start <= inner.start && inner.end <= outer.end;

export const overlaps = (a: Interval, b: Interval): boolean =>
  a.family === b.family && a.start <= b.end && b.start <= a.end;

export const containsAddress = (outer: Interval, family: Family, value: bigint): boolean =>
  outer.family === family && outer.start <= value && value <= outer.end;

/** The aligned block of the given prefix length around an address. */
export function blockAround(family: Family, value: bigint, prefix: number): Interval {
  const hostBits = BigInt(bits(family) - prefix);
  const start = (value >> hostBits) << hostBits;
  return { family, start, end: start + (1n << hostBits) - 1n };
}

export function formatInterval(i: Interval): string {
  const from = formatAddress(i.family, i.start);
  if (i.start === i.end) return from;
  // A power-of-two aligned interval prints as a CIDR.
  const size = intervalSize(i);
  if ((size & (size - 1n)) === 0n && i.start % size === 0n) {
    const prefix = bits(i.family) - (size.toString(2).length - 1);
    return `${from}/${prefix}`;
  }
  return `${from}-${formatAddress(i.family, i.end)}`;
}
