// How Calico's BIRD sees the PureLB pools of one scope: which IPPools export or reject each
// advertised prefix, which communities it gets. Built once per scope; the section-D rules and
// the pool table read the same facts, so they never disagree.
import type { Related } from '../findings.ts';
import type { BgpConfiguration } from '../manifests/calico.ts';
import type { Path } from '../manifests/document.ts';
import { isUnresolved, type Model } from '../manifests/model.ts';
import { DEFAULT_DUMMY_INTERFACE } from '../manifests/purelb.ts';
import { at, type Resource } from '../manifests/resource.ts';
import { IntervalIndex } from '../net/intervals.ts';
import { blockAround, type Cidr, contains, type Family, type Interval, overlaps } from '../net/ip.ts';
import { type CalicoPoolRow, calicoPoolsOf, calicoPoolTable } from './calico-pools.ts';
import { defaultBgpConfig, parseCalicoCidr, resolveCommunity } from './calico-values.ts';
import { describeAdvertised, type PoolInfo } from './pools.ts';
import type { CheckContext } from './registry.ts';

/** A row of the Calico pool table whose CIDR is strictly masked: the pools BIRD and IPAM see. */
export type CalicoPool = CalicoPoolRow & {
  cidr: Cidr;
  /** "IPPool pods (10.0.0.0/16)", "operator Installation default ipPool pods (10.0.0.0/16)". */
  label: string;
};

/** A CIDR BIRD's export filter accepts: an exporting pool or a service*IPs entry of the default BGPConfiguration. */
export type Exporter = { cidr: Cidr; label: string; res: Resource; path: Path; pool?: CalicoPool };

export type AdvertEntry = { cidr: Cidr; communities: string[]; config: BgpConfiguration; index: number };

export type CalicoView = {
  /** Every row of the scope's Calico pool table, host bits and all. */
  table: readonly CalicoPoolRow[];
  pools: CalicoPool[];
  poolIndex: IntervalIndex<CalicoPool>;
  exporters: IntervalIndex<Exporter>;
  rejecters: IntervalIndex<CalicoPool>;
  /** The BGPConfiguration named `default` (global settings), when the scope has one. */
  defaultConfig?: BgpConfiguration;
  defaultAdverts: AdvertEntry[];
  /**
   * Some IPPool, operator ipPool or service*IPs CIDR is still a `${VAR}`: it may be the one that
   * exports a pool, so export verdicts would be guesses (value-unresolved already says so).
   */
  unresolvedExport: boolean;
  /** Some prefixAdvertisements CIDR is still a `${VAR}`: it may be the entry that tags a pool. */
  unresolvedAdverts: boolean;
};

export const familyName = (f: Family): string => `IPv${f}`;

export function strictCidr(text: unknown): Cidr | undefined {
  // A non-canonical or unresolved CIDR is section C's finding; judging with it would be a guess.
  // Calico reads a bare address as /32 (/128), and so does section C: one reading of the field.
  const c = typeof text === 'string' ? parseCalicoCidr(text) : undefined;
  return c?.canonical ? c : undefined;
}

/** The pools of the scope's table that BIRD and IPAM see (a CIDR with host bits is section C's). */
export function calicoPools(rows: readonly CalicoPoolRow[]): CalicoPool[] {
  return rows.flatMap((r) => {
    if (!r.cidr) return [];
    const label =
      r.origin === 'ippool'
        ? `IPPool ${r.res.name} (${r.cidr.network})`
        : `operator Installation ${r.res.name} ipPool ${String(r.fields.name ?? r.path.at(-1))} (${r.cidr.network})`;
    return [{ ...r, cidr: r.cidr, label }];
  });
}

export function advertEntries(b: BgpConfiguration | undefined): AdvertEntry[] {
  const out: AdvertEntry[] = [];
  b?.spec.prefixAdvertisements?.forEach((e, index) => {
    const cidr = strictCidr(e.cidr);
    if (cidr) out.push({ cidr, communities: e.communities ?? [], config: b, index });
  });
  return out;
}

export function buildView(m: Model, rows: readonly CalicoPoolRow[] = calicoPoolTable(m)): CalicoView {
  const pools = calicoPools(rows);
  const defaultConfig = defaultBgpConfig(m);
  const exporters: { iv: Interval; value: Exporter }[] = pools
    .filter((p) => !p.exportDisabled)
    .map((p) => ({
      iv: p.cidr,
      value: { cidr: p.cidr, label: p.label, res: p.res, path: [...p.path, 'cidr'], pool: p },
    }));
  for (const key of ['serviceLoadBalancerIPs', 'serviceExternalIPs'] as const) {
    defaultConfig?.spec[key]?.forEach((e, i) => {
      const cidr = strictCidr(e.cidr);
      if (!cidr || !defaultConfig) return;
      const path = ['spec', key, i, 'cidr'];
      exporters.push({
        iv: cidr,
        value: {
          cidr,
          label: `BGPConfiguration default ${key} ${cidr.network}`,
          res: defaultConfig.res,
          path,
        },
      });
    });
  }
  const view: CalicoView = {
    table: rows,
    pools,
    poolIndex: new IntervalIndex(pools.map((p) => ({ iv: p.cidr, value: p }))),
    exporters: new IntervalIndex(exporters),
    rejecters: new IntervalIndex(
      pools.filter((p) => p.exportDisabled).map((p) => ({ iv: p.cidr, value: p })),
    ),
    defaultAdverts: advertEntries(defaultConfig),
    unresolvedExport:
      m.ipPools.some((p) => isUnresolved(p.spec.cidr)) ||
      m.installations.some((i) => (i.spec.calicoNetwork?.ipPools ?? []).some((p) => isUnresolved(p.cidr))) ||
      m.bgpConfigurations.some((b) =>
        [...(b.spec.serviceLoadBalancerIPs ?? []), ...(b.spec.serviceExternalIPs ?? [])].some((x) =>
          isUnresolved(x.cidr),
        ),
      ),
    unresolvedAdverts: m.bgpConfigurations.some((b) =>
      (b.spec.prefixAdvertisements ?? []).some((e) => isUnresolved(e.cidr)),
    ),
  };
  if (defaultConfig) view.defaultConfig = defaultConfig;
  return view;
}

export type Coverage = {
  /** Exporters that accept some block of P, in walk order. */
  covering: Exporter[];
  /** disableBGPExport pools that contain some block of P (BIRD rejects those first). */
  rejecting: CalicoPool[];
  /** The first /N block of P that nothing exports (and no disableBGPExport pool explains). */
  uncovered?: Interval;
};

/**
 * BIRD exports a block only when ONE exporting CIDR contains it (`net ~ cidr`). Walks the blocks
 * of P by jumping to the end of the widest cover, so a /16 of /32 blocks costs one lookup per
 * exporter, never one per address.
 */
export function coverage(view: CalicoView, adv: { span: Interval; prefix: number }): Coverage {
  const { span, prefix } = adv;
  // A disableBGPExport pool rejects the blocks it contains; one longer than /N contains none.
  const rejecting = view.rejecters.overlapping(span).filter((r) => r.cidr.prefix <= prefix);
  const covering = new Set<Exporter>();
  let cursor = span.start;
  while (cursor <= span.end) {
    const block = blockAround(span.family, cursor, prefix);
    const exp = view.exporters.containing(block);
    const rej = view.rejecters.containing(block);
    if (exp.length + rej.length === 0) return { covering: [...covering], rejecting, uncovered: block };
    for (const e of exp) covering.add(e);
    // Every cover is an aligned CIDR no longer than /N, so its end + 1 starts a block.
    let end = block.end;
    for (const c of [...exp, ...rej]) if (c.cidr.end > end) end = c.cidr.end;
    cursor = end + 1n;
  }
  return { covering: [...covering], rejecting };
}

/** Coverage of one pool, computed once per scope and pool. */
export function poolCoverage(
  view: CalicoView,
  p: PoolInfo,
  memo: Map<PoolInfo, Coverage>,
): Coverage | undefined {
  if (!p.advertised) return undefined;
  let c = memo.get(p);
  if (!c) {
    c = coverage(view, p.advertised);
    memo.set(p, c);
  }
  return c;
}

/** Where a pool finding points: the subnet when P is the subnet (aggregation default), else the pool. */
export const poolPath = (p: PoolInfo): Path =>
  p.aggregation === undefined || p.aggregation === 'default'
    ? [...p.pool.path, 'subnet']
    : [...p.pool.path, 'pool'];

export const rangePath = (p: PoolInfo): Path => [...p.pool.path, 'pool'];

export const describePool = (p: PoolInfo): string =>
  `pool ${p.pool.pool ?? p.pool.subnet ?? ''} of ServiceGroup ${p.group.res.name}`;

export const describeP = (p: PoolInfo): string => (p.advertised ? describeAdvertised(p.advertised) : '');

export const relatedPool = (p: PoolInfo, message: string): Related => ({
  ...at(p.group.res, rangePath(p)),
  message,
});

export const relatedCalico = (c: CalicoPool, message: string): Related => ({
  ...at(c.res, [...c.path, 'cidr']),
  message,
});

/** Valid pools whose BIRD-visible prefix must be exported. */
export const routedPools = (pools: readonly PoolInfo[]): PoolInfo[] =>
  pools.filter((p) => p.valid && p.routed && p.advertised !== undefined);

// ---- communities -----------------------------------------------------------

/** The community values an entry adds: literals as written, names resolved in the same resource. */
export function entryValues(e: AdvertEntry): Set<string> {
  const out = new Set<string>();
  for (const c of e.communities) {
    // confd drops an undefined name silently (bgp-community-undefined reports it).
    const v = resolveCommunity(e.config.spec, c);
    if (v !== undefined) out.add(v);
  }
  return out;
}

/** Entries that contain every block of P (BIRD applies every entry with `net ~ cidr`). */
export const coveringEntries = (
  entries: readonly AdvertEntry[],
  span: Interval,
  prefix: number,
): AdvertEntry[] =>
  entries.filter(
    (e) =>
      e.cidr.family === span.family &&
      e.cidr.prefix <= prefix &&
      e.cidr.start <= span.start &&
      span.end <= e.cidr.end,
  );

/** Community values P gets from a list of entries. */
export function communitiesOf(entries: readonly AdvertEntry[]): string[] {
  const all = new Set<string>();
  for (const e of entries) for (const v of entryValues(e)) all.add(v);
  return [...all];
}

/** Required communities (config) the covering entries do not give P. */
export function missingRequired(required: readonly string[], entries: readonly AdvertEntry[]): string[] {
  const have = new Set(communitiesOf(entries));
  return required.filter(
    (r) =>
      !entries.some((e) => {
        // A required community given as a literal, or as a name the entry's resource defines.
        const v = resolveCommunity(e.config.spec, r);
        return v !== undefined && have.has(v);
      }),
  );
}

// ---- interface patterns ----------------------------------------------------

/** BIRD interface patterns are shell-like: `*` any run, `?` one character. */
export function birdPatternMatches(pattern: string, name: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(name);
}

/** The dummy interfaces routed addresses go on: each LBNodeAgent's, or PureLB's default. */
export function dummyInterfaces(m: Model): string[] {
  const names = new Set(m.lbNodeAgents.map((a) => a.dummyInterface));
  if (names.size === 0) names.add(DEFAULT_DUMMY_INTERFACE);
  return [...names];
}

/** Groups findings by the Calico pool that must change, so one IPPool gets one finding however many PureLB pools it touches. */
export function groupByCalico(pairs: Iterable<[CalicoPool, PoolInfo]>): Map<CalicoPool, PoolInfo[]> {
  const out = new Map<CalicoPool, PoolInfo[]>();
  for (const [c, p] of pairs) {
    const list = out.get(c) ?? [];
    if (!list.includes(p)) list.push(p);
    out.set(c, list);
  }
  return out;
}

/** "pool X of ServiceGroup G" or "pool X of ServiceGroup G and 2 more pools". */
export function describePools(ps: readonly PoolInfo[]): string {
  const first = ps[0] ? describePool(ps[0]) : '';
  return ps.length > 1 ? `${first} and ${ps.length - 1} more pool${ps.length > 2 ? 's' : ''}` : first;
}

// ---- per-scope memo --------------------------------------------------------

export const viewOf = (ctx: CheckContext): CalicoView =>
  ctx.memo('advertisement.view', () => buildView(ctx.model, calicoPoolsOf(ctx)));

export function coverageOf(ctx: CheckContext, p: PoolInfo): Coverage | undefined {
  const memo = ctx.memo('advertisement.coverage', () => new Map<PoolInfo, Coverage>());
  return poolCoverage(viewOf(ctx), p, memo);
}

// ---- ownership predicates (shared by the rules and the pool table) --------

/** lb-pool-overlaps-calico-lb-pool. */
export const sharesCalicoLbPool = (c: CalicoPool, p: PoolInfo): boolean =>
  c.loadBalancer && p.range !== undefined && overlaps(c.cidr, p.range);

/** lb-pool-overlaps-pod-pool: an enabled pool that is not within the subnet (those are lb-ippool-allocatable's). */
export const inPodPool = (c: CalicoPool, p: PoolInfo): boolean =>
  c.allocatable &&
  p.range !== undefined &&
  p.subnet !== undefined &&
  overlaps(c.cidr, p.range) &&
  !contains(p.subnet, c.cidr);

/** lb-ippool-allocatable: an enabled IPPool resource within the subnet (operator ipPools are lb-operator-pool's). */
export const allocatableFor = (c: CalicoPool, p: PoolInfo): boolean =>
  c.origin === 'ippool' && c.allocatable && p.subnet !== undefined && contains(p.subnet, c.cidr);

/** lb-operator-pool: an operator ipPool within the subnet is made for the PureLB pool. */
export const operatorPoolFor = (c: CalicoPool, p: PoolInfo): boolean =>
  c.origin === 'operator' && p.subnet !== undefined && contains(p.subnet, c.cidr);

export type OperatorProblem = {
  field: 'encapsulation' | 'disableNewAllocations';
  problem: string;
};

/**
 * What an operator ipPool made for a PureLB pool gets wrong. A blockSize the operator refuses is
 * ippool-block-size's finding (any operator pool), not one of these.
 */
export function operatorPoolProblems(c: CalicoPool): OperatorProblem[] {
  const out: OperatorProblem[] = [];
  const enc = c.fields.encapsulation;
  // The operator defaults IPv6 pools to None and IPv4 pools to IPIP (with the Calico CNI).
  if (enc !== 'None' && !(enc === undefined && c.cidr.family === 6)) {
    out.push({
      field: 'encapsulation',
      problem:
        enc === undefined
          ? 'has no encapsulation, which the operator defaults to IPIP for IPv4; set encapsulation: None'
          : `has encapsulation: ${String(enc)}; set encapsulation: None`,
    });
  }
  if (c.fields.disableNewAllocations !== true) {
    out.push({
      field: 'disableNewAllocations',
      problem: 'lacks disableNewAllocations: true, so Calico can give these addresses to pods',
    });
  }
  return out;
}

/** lb-ippool-encapsulated: the first ipipMode/vxlanMode of an IPPool resource set to other than Never. */
export function encapsulationField(c: CalicoPool): 'ipipMode' | 'vxlanMode' | undefined {
  if (c.origin !== 'ippool') return undefined;
  for (const f of ['ipipMode', 'vxlanMode'] as const) {
    const v = c.fields[f];
    if (typeof v === 'string' && v !== 'Never') return f;
  }
  return undefined;
}
