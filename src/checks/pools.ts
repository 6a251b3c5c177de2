// PureLB pools as PureLB itself reads them: parsed range, subnet, aggregation, whether the pool
// is routed, and the prefixes it makes BIRD see. Shared by every family so each fact has one source.
import { isUnresolved, type Model } from '../manifests/model.ts';
import type { ServiceGroup, SgPool } from '../manifests/purelb.ts';
import {
  bits,
  blockAround,
  type Cidr,
  contains,
  type Family,
  formatInterval,
  type Interval,
  overlaps,
  parseAddress,
  parseCidr,
} from '../net/ip.ts';
import { type CalicoPoolRow, calicoPoolTable } from './calico-pools.ts';
import { parseCalicoCidr } from './calico-values.ts';
import { findServiceGroupProblems, SG_SEVERITY, type SgProblem } from './servicegroup-problems.ts';

export type RangeParse =
  | {
      ok: true;
      range: Interval;
      /** Set when the pool is written as a CIDR; its `address` is the literal start. */
      cidr?: Cidr;
    }
  | { ok: false; error: string };

/**
 * PureLB's NewIPRange: `from-to` when the text has a dash (split at the first one, each end
 * trimmed), else a CIDR that runs from the literal address (host bits NOT masked) to the
 * broadcast address. PureLB itself never checks from <= to or that both ends share a family;
 * lbguard reports those because the allocator then hands out nothing or garbage.
 */
export function parsePoolRange(text: string): RangeParse {
  const dash = text.indexOf('-');
  if (dash >= 0) {
    const fromText = text.slice(0, dash).trim();
    const toText = text.slice(dash + 1).trim();
    const from = parseAddress(fromText);
    const to = parseAddress(toText);
    if (!from) return { ok: false, error: `invalid start address "${fromText}"` };
    if (!to) return { ok: false, error: `invalid end address "${toText}"` };
    if (from.family !== to.family)
      return { ok: false, error: 'the two ends are of different address families' };
    if (from.value > to.value)
      return { ok: false, error: `the start ${fromText} is after the end ${toText}` };
    return { ok: true, range: { family: from.family, start: from.value, end: to.value } };
  }
  const c = parseCidr(text);
  if (!c) {
    const hint = parseAddress(text)
      ? ' (a bare address needs a prefix, e.g. /32)'
      : text.includes(',')
        ? ' (one pool holds one range; use v4pools/v6pools for several)'
        : '';
    return { ok: false, error: `invalid CIDR "${text}"${hint}` };
  }
  return { ok: true, range: { family: c.family, start: c.address, end: c.end }, cidr: c };
}

export type AggregationParse = { ok: true; value: 'default' | number } | { ok: false; error: string };

/**
 * `default` or `/N`. PureLB builds the mask by parsing "0.0.0.0" + text (or "::" + text), so
 * "32" becomes "0.0.0.032": no mask, and the address is never added.
 */
export function parseAggregation(text: string, family: Family | undefined): AggregationParse {
  if (text === 'default') return { ok: true, value: 'default' };
  const m = /^\/([0-9]{1,3})$/.exec(text);
  if (!m) {
    if (/^[0-9]{1,3}$/.test(text)) return { ok: false, error: `"${text}" lacks the slash: write "/${text}"` };
    return { ok: false, error: `"${text}" is neither "default" nor "/N"` };
  }
  const n = Number(m[1]);
  const max = family ? bits(family) : 128;
  if (n < 1 || n > max)
    return { ok: false, error: `/${n} is outside 1..${max}${family ? ` for IPv${family}` : ''}` };
  return { ok: true, value: n };
}

export type PoolField = 'subnet' | 'pool' | 'aggregation';

/** A pool's own fields, parsed; no judgement across pools or groups yet. */
export type ParsedPool = {
  pool: SgPool;
  group: ServiceGroup;
  family?: Family;
  subnet?: Cidr;
  range?: Interval;
  /** Set when the pool is written as a CIDR (for sg-cidr-pool-host-bits). */
  cidr?: Cidr;
  /** Why the pool text does not parse (absent pool included). */
  rangeError?: string;
  /** undefined when absent (v1 allows empty on local pools) or unparsable. */
  aggregation?: 'default' | number;
  aggregationError?: string;
  /** Fields holding an unresolved `${VAR}`: every rule skips those values. */
  unresolvedFields: ReadonlySet<PoolField>;
  /** A value holds an unresolved `${VAR}`: nothing can be said about the pool as a whole. */
  unresolved: boolean;
  routed: boolean;
};

export type PoolInfo = ParsedPool & {
  /**
   * No section-B error rule fires on this pool or its group, and no value is unresolved.
   * Sections D and E skip invalid pools: one cause, one finding.
   */
  valid: boolean;
  /** Prefixes BIRD sees: blocks of `/prefix` spanning `span` (one block for aggregation default). */
  advertised?: { span: Interval; prefix: number };
};

export type ServiceGroupAnalysis = { pools: PoolInfo[]; problems: SgProblem[] };

function parseOne(pool: SgPool): Omit<ParsedPool, 'routed'> {
  const unresolvedFields = new Set<PoolField>(
    (['subnet', 'pool', 'aggregation'] as const).filter((f) => isUnresolved(pool[f])),
  );
  const info: Omit<ParsedPool, 'routed'> = {
    pool,
    group: pool.group,
    unresolvedFields,
    unresolved: unresolvedFields.size > 0,
  };
  const subnet =
    pool.subnet !== undefined && !unresolvedFields.has('subnet') ? parseCidr(pool.subnet) : undefined;
  if (subnet) {
    info.subnet = subnet;
    info.family = subnet.family;
  }
  if (!unresolvedFields.has('pool')) {
    const range = pool.pool !== undefined ? parsePoolRange(pool.pool) : undefined;
    if (range?.ok) {
      info.range = range.range;
      if (range.cidr) info.cidr = range.cidr;
      info.family ??= range.range.family;
    } else info.rangeError = range?.error ?? 'no pool given';
  }
  // An empty aggregation is the same as none: Go's omitempty does not tell them apart.
  if (pool.aggregation !== undefined && pool.aggregation !== '' && !unresolvedFields.has('aggregation')) {
    const agg = parseAggregation(pool.aggregation, info.family);
    if (agg.ok) info.aggregation = agg.value;
    else info.aggregationError = agg.error;
  } else if ((pool.aggregation ?? '') === '' && pool.group.version === 'v2') {
    info.aggregation = 'default';
  }
  return info;
}

const isRoutedByMode = (g: ServiceGroup): boolean | undefined =>
  g.version === 'v2'
    ? g.mode === 'remote' || (g.mode === 'external' && g.spec.external?.announce === 'remote')
    : undefined;

/** CIDRs Calico knows of, used to guess whether a v1 pool is routed when node subnets are not configured. */
function calicoCidrs(m: Model, pools: readonly CalicoPoolRow[]): Interval[] {
  const out: Interval[] = pools.flatMap((r) => (r.parsed ? [r.parsed] : []));
  for (const b of m.bgpConfigurations) {
    for (const list of [
      b.spec.prefixAdvertisements,
      b.spec.serviceLoadBalancerIPs,
      b.spec.serviceExternalIPs,
    ]) {
      for (const e of list ?? []) {
        const c = typeof e.cidr === 'string' ? parseCalicoCidr(e.cidr) : undefined;
        if (c) out.push(c);
      }
    }
  }
  return out;
}

function isRouted(p: Omit<ParsedPool, 'routed'>, nodes: readonly Cidr[], calico: () => Interval[]): boolean {
  const byMode = isRoutedByMode(p.group);
  if (byMode !== undefined) return byMode;
  if (nodes.length > 0) return p.subnet ? !nodes.some((n) => contains(n, p.subnet!)) : false;
  return (
    (p.aggregation !== undefined && p.aggregation !== 'default') ||
    (p.subnet !== undefined && calico().some((c) => overlaps(c, p.subnet!)))
  );
}

function advertisedOf(p: ParsedPool): PoolInfo['advertised'] {
  if (!p.subnet || !p.range) return undefined;
  if (p.aggregation === undefined || p.aggregation === 'default')
    return { span: p.subnet, prefix: p.subnet.prefix };
  const first = blockAround(p.range.family, p.range.start, p.aggregation);
  const last = blockAround(p.range.family, p.range.end, p.aggregation);
  return { span: { family: first.family, start: first.start, end: last.end }, prefix: p.aggregation };
}

/**
 * Pools and section-B problems of one scope. Every rule family asks for the pools, and section B
 * needs the same pass to decide validity: the scope's CheckContext computes it once
 * (`ctx.serviceGroups()`, `ctx.pools()`).
 */
export function analyzeServiceGroups(
  m: Model,
  nodeSubnets: readonly string[],
  calicoRows: () => readonly CalicoPoolRow[] = () => calicoPoolTable(m),
): ServiceGroupAnalysis {
  const nodes = nodeSubnets.map((s) => parseCidr(s)).filter((c): c is Cidr => c !== undefined);
  let calico: Interval[] | undefined;
  const calicoOnce = () => {
    calico ??= calicoCidrs(m, calicoRows());
    return calico;
  };
  const parsed: ParsedPool[] = [];
  for (const g of m.serviceGroups) {
    for (const pool of g.pools) {
      const p = parseOne(pool);
      parsed.push({ ...p, routed: isRouted(p, nodes, calicoOnce) });
    }
  }
  const problems = findServiceGroupProblems(m.serviceGroups, parsed);
  const badPools = new Set<SgPool>();
  const badGroups = new Set<ServiceGroup>();
  for (const pr of problems) {
    if (SG_SEVERITY[pr.rule] !== 'error') continue;
    if (pr.pool) badPools.add(pr.pool.pool);
    else badGroups.add(pr.group);
  }
  const pools = parsed.map((p): PoolInfo => {
    const valid = !p.unresolved && !badPools.has(p.pool) && !badGroups.has(p.group);
    const info: PoolInfo = { ...p, valid };
    const advertised = valid ? advertisedOf(p) : undefined;
    if (advertised) info.advertised = advertised;
    return info;
  });
  return { pools, problems };
}

/** The pools alone, without the shared context (tests). */
export function analyzePools(m: Model, nodeSubnets: readonly string[]): PoolInfo[] {
  return analyzeServiceGroups(m, nodeSubnets).pools;
}

/** "10.0.0.0/24", or "each /32 in 10.0.0.10-10.0.0.20". */
export function describeAdvertised(a: { span: Interval; prefix: number }): string {
  const size = 1n << BigInt(bits(a.span.family) - a.prefix);
  if (a.span.end - a.span.start + 1n === size) return formatInterval(a.span);
  return `each /${a.prefix} in ${formatInterval(a.span)}`;
}

export const poolLabel = (p: PoolInfo): string =>
  `${p.group.res.name} ${p.pool.pool ?? p.pool.subnet ?? p.pool.form}`;
