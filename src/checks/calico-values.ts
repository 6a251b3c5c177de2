// Calico's own value syntaxes (CIDRs, AS numbers, BGP communities), read the way Calico's Go
// code reads them, so every Calico rule (and section D) agrees on what a value means.

import type { BgpConfiguration, BgpConfigurationSpec } from '../manifests/calico.ts';
import type { Path } from '../manifests/document.ts';
import type { Model } from '../manifests/model.ts';
import { at, type Resource, refOf } from '../manifests/resource.ts';
import { bits, type Cidr, parseAddress, parseCidr } from '../net/ip.ts';
import type { RuleReport } from './registry.ts';

/** Calico's `ParseCIDROrIP`: a CIDR, or a bare address meaning its host route (/32, /128). */
export function parseCalicoCidr(text: string): Cidr | undefined {
  const c = parseCidr(text);
  if (c) return c;
  const a = parseAddress(text);
  return a ? parseCidr(`${text}/${bits(a.family)}`) : undefined;
}

/** The BGPConfiguration named `default` (global settings), when the scope has one. */
export const defaultBgpConfig = (m: Model): BgpConfiguration | undefined =>
  m.bgpConfigurations.find((b) => b.res.name === 'default');

/** numorstring.ASNumber is stored as int32 by both the CRD and the API server (calico issue 13494). */
export const INT32_MAX = 2_147_483_647;
export const UINT32_MAX = 4_294_967_295;
export const UINT16_MAX = 65_535;

export type AsNumberParse = { ok: true; value: number; asdot: boolean } | { ok: false; error: string };

/** Plain (0..4294967295) or asdot `X.Y` with 16-bit parts. The text as written, so `1.10` is asdot, not 1.1. */
export function parseAsNumber(text: string): AsNumberParse {
  if (/^[0-9]+$/.test(text)) {
    const value = Number(text);
    if (value > UINT32_MAX)
      return { ok: false, error: `${text} is above ${UINT32_MAX}, the largest AS number` };
    return { ok: true, value, asdot: false };
  }
  const m = /^([0-9]+)\.([0-9]+)$/.exec(text);
  if (m) {
    const hi = Number(m[1]);
    const lo = Number(m[2]);
    if (hi > UINT16_MAX || lo > UINT16_MAX) {
      return { ok: false, error: `asdot ${text} needs two 16-bit parts (0-${UINT16_MAX} each)` };
    }
    return { ok: true, value: hi * 65_536 + lo, asdot: true };
  }
  return { ok: false, error: `"${text}" is neither a plain AS number nor asdot X.Y` };
}

/** The AS number text as written in the manifest (a float-looking `65000.1` stays asdot). */
export const asNumberText = (res: Resource, value: number | string): string =>
  (res.doc.source(['spec', 'asNumber']) ?? String(value)).trim();

const STANDARD = /^([0-9]+):([0-9]+)$/;
const LARGE = /^([0-9]+):([0-9]+):([0-9]+)$/;

export type CommunityLiteral = {
  kind: 'standard' | 'large';
  parts: bigint[];
  /** Set when a part does not fit its width (16 bits standard, 32 bits large). */
  error?: string;
};

/**
 * A community written as a value. Calico decides literal-or-name by these regexes alone, so
 * `70000:1` is a literal with a bad part (a format error), never a name.
 */
export function communityLiteral(text: string): CommunityLiteral | undefined {
  const m = STANDARD.exec(text) ?? LARGE.exec(text);
  if (!m) return undefined;
  const kind = m.length === 3 ? 'standard' : 'large';
  const width = kind === 'standard' ? 16 : 32;
  const parts = m.slice(1).map((p) => BigInt(p));
  const max = (1n << BigInt(width)) - 1n;
  const lit: CommunityLiteral = { kind, parts };
  if (parts.some((p) => p > max)) {
    lit.error =
      kind === 'standard'
        ? `standard community ${text} needs 16-bit parts (0-${max} each)`
        : `large community ${text} needs 32-bit parts (0-${max} each)`;
  }
  return lit;
}

/** DNS-1123 label, as the catalog requires of community names. */
export const isDnsLabel = (s: string): boolean => s.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s);

/**
 * What a prefixAdvertisements community stands for: a literal, or the value of a name defined in
 * the same BGPConfiguration's spec.communities (Calico never looks at other resources).
 */
export function resolveCommunity(spec: BgpConfigurationSpec, text: string): string | undefined {
  if (communityLiteral(text)) return text;
  // confd builds a name -> value map from spec.communities, so a name defined twice takes its last value.
  return spec.communities?.findLast((c) => c.name === text && typeof c.value === 'string')?.value;
}

/** A report about `res` at `path`; `value` is the offending text, for fingerprints. */
export const reportAt = (
  res: Resource,
  path: Path,
  message: string,
  value: string,
  part: 'value' | 'key' = 'value',
): RuleReport => ({ ...at(res, path, part), message, resource: refOf(res), value });

/** "IPPool pods" or "IPPool (unnamed)", for messages. */
export const label = (res: Resource): string => `${res.kind} ${res.name || '(unnamed)'}`;

/** Suggests the enum member that differs only in case, e.g. `enabled` -> `Enabled`. */
export function caseHint(value: string, allowed: readonly string[]): string {
  const same = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  return same ? ` (did you mean \`${same}\`? values are case-sensitive)` : '';
}
