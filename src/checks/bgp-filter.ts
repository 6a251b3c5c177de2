// How a BGPPeer's export BGPFilters treat a locally originated route (a kube-lb0 connected route
// or a service static route). confd calls each filter's BIRD export function in the peer's order
// before calico_export_to_bgp_peers, so the first Accept or Reject that matches decides.
import type { BgpFilter, BgpFilterRule } from '../manifests/calico.ts';
import { bits, blockAround, contains, type Interval, overlaps, parseCidr } from '../net/ip.ts';
import { birdPatternMatches } from './advertisement-view.ts';

export type FilterKey = 'exportV4' | 'exportV6';

export const exportKey = (span: Interval): FilterKey => (span.family === 4 ? 'exportV4' : 'exportV6');

/** Does the rule match the route `block` of prefix length `n`? Mirrors confd's BGPFilter BIRD functions. */
export function ruleMatches(
  r: BgpFilterRule,
  block: Interval,
  n: number,
  interfaces: readonly string[],
): boolean {
  const raw: Record<string, unknown> = r;
  // A local route has no BGP source, no communities yet, an empty AS path and no priority.
  if (r.source !== undefined || raw.communities !== undefined || raw.asPathPrefix !== undefined) return false;
  if (raw.priority !== undefined) return false;
  if (r.interface !== undefined && !interfaces.some((i) => birdPatternMatches(r.interface!, i))) return false;
  if (r.cidr === undefined) return true;
  const c = parseCidr(r.cidr);
  if (!c?.canonical || c.family !== block.family) return false;
  const min = r.prefixLength?.min ?? c.prefix;
  const max = r.prefixLength?.max ?? bits(c.family);
  const inside = contains(c, block) && n >= c.prefix && n >= min && n <= max;
  const equal = c.start === block.start && c.end === block.end;
  switch (r.matchOperator) {
    case 'In':
      return inside;
    case 'NotIn':
      return !inside;
    case 'Equal':
      return equal;
    case 'NotEqual':
      return !equal;
    default:
      return false;
  }
}

export type Decision = {
  filter: BgpFilter;
  key: FilterKey;
  index: number;
  action: 'Accept' | 'Reject';
};

/** The first Accept/Reject the chain reaches for `block`, or undefined (Calico's own filter decides). */
export function firstDecision(
  chain: readonly BgpFilter[],
  key: FilterKey,
  block: Interval,
  n: number,
  interfaces: readonly string[],
): Decision | undefined {
  for (const filter of chain) {
    const rules = filter.spec[key] ?? [];
    for (let index = 0; index < rules.length; index++) {
      const r = rules[index]!;
      if (r.action !== 'Accept' && r.action !== 'Reject') continue;
      if (ruleMatches(r, block, n, interfaces)) return { filter, key, index, action: r.action };
    }
  }
  return undefined;
}

/**
 * Splits the /n blocks of `span` into runs that every rule treats alike: a rule CIDR no longer
 * than /n is aligned to /n blocks, so its edges are run edges; a longer one contains (or equals)
 * no block at all. A /32 aggregation over a /16 costs one decision per run, not one per address.
 */
export function filterRuns(span: Interval, n: number, rules: readonly BgpFilterRule[]): Interval[] {
  const cuts = new Set<bigint>([span.start, span.end + 1n]);
  for (const r of rules) {
    const c = r.cidr !== undefined ? parseCidr(r.cidr) : undefined;
    if (!c || !overlaps(c, span)) continue;
    for (const v of [
      blockAround(span.family, c.start, n).start,
      blockAround(span.family, c.end, n).end + 1n,
    ]) {
      if (v > span.start && v <= span.end) cuts.add(v);
    }
  }
  const sorted = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted.slice(1).map((end, i) => ({ family: span.family, start: sorted[i]!, end: end - 1n }));
}

/** The /n blocks in a run (a number: a /16 of /32s is 65,536 routes, well within a double). */
export const blocksIn = (run: Interval, n: number): number =>
  Number((run.end - run.start + 1n) >> BigInt(bits(run.family) - n));
