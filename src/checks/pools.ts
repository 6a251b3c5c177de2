// PureLB pools as PureLB itself reads them: parsed range, subnet, aggregation, whether the pool
// is routed, and the prefixes it makes BIRD see. Shared by every family so each fact has one source.
import type { SgPool, ServiceGroup } from '../manifests/purelb.ts';
import { isUnresolved, type Model } from '../manifests/model.ts';
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

export type RangeParse = { ok: true; range: Interval } | { ok: false; error: string };

/** PureLB's NewIPRange: `from-to` when the text has a dash, else a CIDR from the literal address. */
export function parsePoolRange(text: string): RangeParse {
  if (text.includes('-')) {
    const dash = text.indexOf('-');
    const fromText = text.slice(0, dash).trim();
    const toText = text.slice(dash + 1).trim();
    const from = parseAddress(fromText);
    const to = parseAddress(toText);
    if (!from) return { ok: false, error: `invalid start address "${fromText}"` };
    if (!to) return { ok: false, error: `invalid end address "${toText}"` };
    if (from.family !== to.family) return { ok: false, error: 'the two ends are of different address families' };
    if (from.value > to.value) return { ok: false, error: `the start ${fromText} is after the end ${toText}` };
    return { ok: true, range: { family: from.family, start: from.value, end: to.value } };
  }
  const c = parseCidr(text);
  if (!c) {
    const hint = parseAddress(text) ? ' (a bare address needs a prefix, e.g. /32)' : '';
    return { ok: false, error: `invalid CIDR "${text}"${hint}` };
  }
  // PureLB starts a CIDR pool at the literal address, host bits NOT masked.
  return { ok: true, range: { family: c.family, start: c.address, end: c.end } };
}

export type AggregationParse = { ok: true; value: 'default' | number } | { ok: false; error: string };

export function parseAggregation(text: string, family: Family | undefined): AggregationParse {
  if (text === 'default') return { ok: true, value: 'default' };
  const m = /^\/([0-9]{1,3})$/.exec(text);
  if (!m) {
    if (/^[0-9]{1,3}$/.test(text)) return { ok: false, error: `"${text}" lacks the slash: write "/${text}"` };
    return { ok: false, error: `"${text}" is neither "default" nor "/N"` };
  }
  const n = Number(m[1]);
  const max = family ? bits(family) : 128;
  if (n < 1 || n > max) return { ok: false, error: `/${n} is outside 1..${max}${family ? ` for IPv${family}` : ''}` };
  return { ok: true, value: n };
}

export type PoolInfo = {
  pool: SgPool;
  group: ServiceGroup;
  family?: Family;
  subnet?: Cidr;
  range?: Interval;
  /** undefined when absent (v1 allows empty on local pools) or unparsable. */
  aggregation?: 'default' | number;
  /** Passes every section-B error rule; section D and E rules skip invalid pools. */
  valid: boolean;
  /** A value holds an unresolved `${VAR}`: nothing can be said about it. */
  unresolved: boolean;
  routed: boolean;
  /** Prefixes BIRD sees: `blocks` of `/prefix` spanning `span` (one block for aggregation default). */
  advertised?: { span: Interval; prefix: number };
};

/** Validity of one pool's own fields (group-level shape is `groupValid`). */
function parseOne(pool: SgPool): Omit<PoolInfo, 'routed' | 'valid' | 'advertised'> & { fieldsValid: boolean } {
  const info: Omit<PoolInfo, 'routed' | 'valid' | 'advertised'> & { fieldsValid: boolean } = {
    pool,
    group: pool.group,
    unresolved: [pool.subnet, pool.pool, pool.aggregation].some(isUnresolved),
    fieldsValid: false,
  };
  if (info.unresolved) return info;
  const subnet = pool.subnet !== undefined ? parseCidr(pool.subnet) : undefined;
  const range = pool.pool !== undefined ? parsePoolRange(pool.pool) : undefined;
  if (subnet) {
    info.subnet = subnet;
    info.family = subnet.family;
  }
  if (range?.ok) {
    info.range = range.range;
    info.family ??= range.range.family;
  }
  let aggOk = true;
  if (pool.aggregation !== undefined && pool.aggregation !== '') {
    const agg = parseAggregation(pool.aggregation, info.family);
    if (agg.ok) info.aggregation = agg.value;
    else aggOk = false;
  } else if (pool.aggregation === undefined && pool.group.version === 'v2') {
    info.aggregation = 'default';
  }
  const familyOk =
    info.family === undefined ||
    ((pool.form === 'v4pool' || pool.form === 'v4pools') ? info.family === 4 : true) &&
      ((pool.form === 'v6pool' || pool.form === 'v6pools') ? info.family === 6 : true);
  info.fieldsValid =
    subnet !== undefined &&
    range?.ok === true &&
    subnet.family === range.range.family &&
    contains(subnet, range.range) &&
    aggOk &&
    familyOk;
  return info;
}

/** sg-shape errors make the whole group invalid. */
export function groupShapeProblems(g: ServiceGroup): string[] {
  const problems: string[] = [];
  const allowed = g.version === 'v1' ? ['local', 'netbox'] : ['local', 'remote', 'netbox', 'external'];
  const present = g.modes.filter((m) => allowed.includes(m));
  const wrong = g.modes.filter((m) => !allowed.includes(m));
  for (const m of wrong) problems.push(`purelb.io/${g.version} has no spec.${m}`);
  if (present.length === 0 && wrong.length === 0) problems.push(`spec needs exactly one of ${allowed.join(', ')}`);
  if (present.length > 1) problems.push(`spec has ${present.join(' and ')}; exactly one is allowed`);
  if (g.version === 'v2') {
    for (const mode of ['local', 'remote'] as const) {
      const h = g.spec[mode];
      if (!h) continue;
      for (const legacy of ['subnet', 'pool', 'aggregation'] as const) {
        if (h[legacy] !== undefined) problems.push(`purelb.io/v2 has no spec.${mode}.${legacy}; use v4pool/v6pool`);
      }
      if (h.multiPool === true && h.balancePools === true) problems.push('multiPool and balancePools are mutually exclusive');
    }
  }
  return problems;
}

const isRoutedByMode = (g: ServiceGroup): boolean | undefined =>
  g.version === 'v2' ? g.mode === 'remote' || (g.mode === 'external' && g.spec.external?.announce === 'remote') : undefined;

/** CIDRs Calico knows of, used to guess whether a v1 pool is routed when node subnets are not configured. */
function calicoCidrs(m: Model): Interval[] {
  const out: Interval[] = [];
  const add = (t: unknown) => {
    const c = typeof t === 'string' ? parseCidr(t) : undefined;
    if (c) out.push(c);
  };
  for (const p of m.ipPools) add(p.spec.cidr);
  for (const b of m.bgpConfigurations) {
    for (const list of [b.spec.prefixAdvertisements, b.spec.serviceLoadBalancerIPs, b.spec.serviceExternalIPs]) {
      for (const e of list ?? []) add(e.cidr);
    }
  }
  for (const i of m.installations) for (const p of i.spec.calicoNetwork?.ipPools ?? []) add(p.cidr);
  return out;
}

export function analyzePools(m: Model, nodeSubnets: readonly string[]): PoolInfo[] {
  const nodes = nodeSubnets.map((s) => parseCidr(s)).filter((c): c is Cidr => c !== undefined);
  const calico = nodes.length === 0 ? calicoCidrs(m) : [];
  const out: PoolInfo[] = [];
  for (const g of m.serviceGroups) {
    const groupOk = groupShapeProblems(g).length === 0;
    for (const pool of g.pools) {
      const { fieldsValid, ...p } = parseOne(pool);
      const byMode = isRoutedByMode(g);
      let routed: boolean;
      if (byMode !== undefined) routed = byMode;
      else if (nodes.length > 0) routed = p.subnet ? !nodes.some((n) => contains(n, p.subnet!)) : false;
      else {
        routed =
          (p.aggregation !== undefined && p.aggregation !== 'default') ||
          (p.subnet !== undefined && calico.some((c) => overlaps(c, p.subnet!)));
      }
      // PureLB v1 cannot build a mask from an empty aggregation, so a routed v1 pool needs one.
      const v1EmptyRouted = g.version === 'v1' && routed && (pool.aggregation ?? '') === '';
      const info: PoolInfo = { ...p, valid: groupOk && fieldsValid && !v1EmptyRouted, routed };
      if (info.valid && info.subnet && info.range) {
        if (info.aggregation === undefined || info.aggregation === 'default') {
          info.advertised = { span: info.subnet, prefix: info.subnet.prefix };
        } else {
          const first = blockAround(info.range.family, info.range.start, info.aggregation);
          const last = blockAround(info.range.family, info.range.end, info.aggregation);
          info.advertised = { span: { family: first.family, start: first.start, end: last.end }, prefix: info.aggregation };
        }
      }
      out.push(info);
    }
  }
  return out;
}

/** "10.0.0.0/24", or "each /32 in 10.0.0.10-10.0.0.20". */
export function describeAdvertised(a: { span: Interval; prefix: number }): string {
  const size = 1n << BigInt(bits(a.span.family) - a.prefix);
  if (a.span.end - a.span.start + 1n === size) return formatInterval(a.span);
  return `each /${a.prefix} in ${formatInterval(a.span)}`;
}

export const poolLabel = (p: PoolInfo): string =>
  `${p.group.res.name} ${p.pool.pool ?? p.pool.subnet ?? p.pool.form}`;
