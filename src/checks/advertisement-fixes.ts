// Fixes for section D: the IPPool that makes BIRD export a PureLB prefix, and the
// prefixAdvertisements entry that gives it its communities. Each builder returns either a fix or
// the reason there is none, so the finding can say why the reader has to decide.
import { posix } from 'node:path';
import type { Config } from '../config.ts';
import type { Fix, FixOp } from '../findings.ts';
import { append, type CalicoApiVersion, coveringIpPool, editFix, nameForCidr, set } from '../fixes/build.ts';
import type { BgpConfiguration } from '../manifests/calico.ts';
import type { Model } from '../manifests/model.ts';
import { blockAround, contains, formatAddress, type Interval, overlaps } from '../net/ip.ts';
import { type CalicoView, coveringEntries } from './advertisement-view.ts';
import { communityLiteral } from './calico-values.ts';
import type { PoolInfo } from './pools.ts';

export type FixOrReason = { fix: Fix } | { reason: string };

const EDIT_REFUSED =
  'the BGPConfiguration is built from chart values or the field holds a Flux substitution; edit it by hand';

/** An edit fix, or why lbguard will not edit that text. */
const edited = (fix: Fix | undefined): FixOrReason => (fix ? { fix } : { reason: EDIT_REFUSED });

const FLAVOURS: readonly string[] = ['projectcalico.org/v3', 'crd.projectcalico.org/v1'];
/** Written as a value, not a name: the same test Calico (and section C) applies. */
const isLiteral = (c: string): boolean => communityLiteral(c) !== undefined;

/** The API flavour new Calico manifests use: the config's, else the scope's own, else v3. */
export function calicoApiVersion(model: Model, config: Config): CalicoApiVersion {
  if (config.calicoApiVersion) return config.calicoApiVersion;
  const own = [...model.ipPools, ...model.bgpConfigurations, ...model.bgpPeers, ...model.bgpFilters]
    .map((r) => r.res.apiVersion)
    .find((v) => FLAVOURS.includes(v));
  return (own as CalicoApiVersion | undefined) ?? 'projectcalico.org/v3';
}

/**
 * The CIDR that holds every block a pool advertises: its subnet, widened to the aggregation when
 * that is shorter (sg-aggregation-wider-than-subnet), since BIRD needs each block inside one CIDR.
 */
export function coveringCidr(p: PoolInfo): { text: string; block: Interval } | undefined {
  if (!p.subnet || !p.advertised) return undefined;
  const prefix = Math.min(p.subnet.prefix, p.advertised.prefix);
  const block = blockAround(p.subnet.family, p.subnet.start, prefix);
  return { text: `${formatAddress(block.family, block.start)}/${prefix}`, block };
}

/**
 * Where a new IPPool goes: beside the scope's IPPools (so a kustomization needs no new entry),
 * else in fixes.directory, else beside the scope's BGPConfiguration (or any Calico resource).
 */
function newPoolFile(model: Model, config: Config, name: string): string | undefined {
  const withPools = model.ipPools[0]?.res.file;
  if (withPools) return withPools;
  if (config.fixes.directory) return posix.join(config.fixes.directory.replace(/\/+$/, ''), `${name}.yaml`);
  const beside = (model.bgpConfigurations.find((b) => b.res.name === 'default') ?? model.bgpConfigurations[0])
    ?.res.file;
  const any = beside ?? [...model.bgpPeers, ...model.bgpFilters, ...model.installations][0]?.res.file;
  if (!any) return undefined;
  const dir = posix.dirname(any);
  return dir === '.' ? `${name}.yaml` : `${dir}/${name}.yaml`;
}

/**
 * A pool whose CIDR has host bits set is left out of the view (ippool-cidr reports it), but its
 * fix masks it, so a new pool must not overlap it either.
 */
function sloppyOverlap(view: CalicoView, block: Interval): string | undefined {
  const r = view.table.find((x) => x.parsed && !x.cidr && overlaps(x.parsed, block));
  return r && `${r.where} (${r.text})`;
}

/**
 * A narrower disabled IPPool made for the PureLB pool (inside its subnet), and nothing else in
 * the way: widen it to the subnet BIRD must export (aggregation default advertises the whole
 * subnet), instead of a second pool that would overlap it.
 */
function widenFix(view: CalicoView, cidr: { text: string; block: Interval }): Fix | undefined {
  const inWay = view.table.filter((r) => r.parsed && overlaps(r.parsed, cidr.block));
  const only = inWay[0];
  if (inWay.length !== 1 || !only?.cidr || only.origin !== 'ippool') return undefined;
  const narrower =
    contains(cidr.block, only.cidr) && only.cidr.end - only.cidr.start < cidr.block.end - cidr.block.start;
  if (!narrower || only.enabled || only.exportDisabled) return undefined;
  return editFix(
    `Widen IPPool ${only.res.name} from ${only.text} to ${cidr.text}, the subnet PureLB advertises`,
    only.res,
    set([...only.path, 'cidr'], cidr.text),
  );
}

/**
 * lb-pool-not-exported: a disabled IPPool for the pool's subnet (or the narrower one made for it,
 * widened), unless it would overlap another pool.
 */
export function exportPoolFix(model: Model, config: Config, view: CalicoView, p: PoolInfo): FixOrReason {
  const cidr = coveringCidr(p);
  if (!cidr) return { reason: 'the pool has no usable subnet' };
  const widened = widenFix(view, cidr);
  if (widened) return { fix: widened };
  const clash = view.poolIndex.overlapping(cidr.block)[0]?.label ?? sloppyOverlap(view, cidr.block);
  if (clash) {
    return {
      reason: `an IPPool for ${cidr.text} would overlap ${clash} (ippool-overlap); widen or split the existing pool by hand`,
    };
  }
  const name = nameForCidr('purelb', cidr.text);
  const file = newPoolFile(model, config, name);
  if (!file) return { reason: 'no place for a new IPPool was found' };
  const doc = coveringIpPool(file, calicoApiVersion(model, config), name, cidr.text);
  return { fix: { title: `Add a disabled IPPool ${name} for ${cidr.text} in ${file}`, changes: [doc] } };
}

type Definition = { name: string; value: string };

/** A name's definition in the target resource, else in another BGPConfiguration of the scope. */
function definitionOf(
  name: string,
  target: BgpConfiguration,
  all: readonly BgpConfiguration[],
): Definition | undefined {
  for (const b of [target, ...all.filter((x) => x !== target)]) {
    const c = b.spec.communities?.find((d) => d.name === name && typeof d.value === 'string');
    if (c) return { name, value: c.value as string };
  }
  return undefined;
}

/**
 * Communities to write into `target`, as written (names stay names), with the definitions the
 * target lacks; a name no BGPConfiguration defines makes the whole set unusable.
 */
function resolveCommunities(
  wanted: readonly string[],
  target: BgpConfiguration,
  all: readonly BgpConfiguration[],
): { communities: string[]; define: Definition[] } | { reason: string } {
  const communities: string[] = [];
  const define: Definition[] = [];
  for (const c of wanted) {
    if (communities.includes(c)) continue;
    if (isLiteral(c)) {
      communities.push(c);
      continue;
    }
    const d = definitionOf(c, target, all);
    if (!d)
      return {
        reason: `community name "${c}" has no value in any BGPConfiguration, and lbguard cannot invent one`,
      };
    communities.push(c);
    if (!target.spec.communities?.some((x) => x.name === c)) define.push(d);
  }
  return { communities, define };
}

/** A literal, or a name some BGPConfiguration of the scope defines (confd drops the others anyway). */
export const resolvable = (c: string, all: readonly BgpConfiguration[]): boolean =>
  isLiteral(c) ||
  all.some((b) => b.spec.communities?.some((d) => d.name === c && typeof d.value === 'string'));

const defineOps = (define: readonly Definition[]): FixOp[] =>
  define.map((d) => append(['spec', 'communities'], { name: d.name, value: d.value }));

/**
 * The communities a new entry for P should carry: the required ones when configured, else those
 * the scope's other PureLB prefixes already leave with (only values and defined names: copying
 * an undefined name would copy a bug). None known: no fix, since a notice has nothing to add.
 */
export function wantedCommunities(
  config: Config,
  view: CalicoView,
  routed: readonly PoolInfo[],
  p: PoolInfo,
): string[] {
  if (config.requiredCommunities.length > 0) return [...config.requiredCommunities];
  const b = view.defaultConfig;
  if (!b) return [];
  const defined = new Set((b.spec.communities ?? []).map((c) => c.name));
  const lists: string[][] = [];
  for (const other of routed) {
    if (other === p || !other.advertised) continue;
    const e = coveringEntries(view.defaultAdverts, other.advertised.span, other.advertised.prefix)[0];
    if (e) lists.push(e.communities.filter((c) => isLiteral(c) || defined.has(c)));
  }
  const first = lists[0] ?? [];
  // Only what every other PureLB entry agrees on: a community one pool carries may be specific to it.
  return first.filter((c) => lists.every((l) => l.includes(c)));
}

/** lb-community-missing (no entry) and lb-community-node-override: append `{cidr, communities}` to `target`. */
export function advertEntryFix(
  target: BgpConfiguration,
  all: readonly BgpConfiguration[],
  p: PoolInfo,
  wanted: readonly string[],
  cidrText?: string,
): FixOrReason {
  const cidr = cidrText ?? coveringCidr(p)?.text;
  if (!cidr) return { reason: 'the pool has no usable subnet' };
  if (wanted.length === 0) {
    // Nothing to add is not a problem to explain: the notice already says the route is untagged.
    return { reason: '' };
  }
  const r = resolveCommunities(wanted, target, all);
  if ('reason' in r) return r;
  const ops = [
    ...defineOps(r.define),
    append(['spec', 'prefixAdvertisements'], { cidr, communities: r.communities }),
  ];
  return edited(
    editFix(
      `Add prefixAdvertisements entry ${cidr} [${r.communities.join(', ')}] to BGPConfiguration ${target.res.name}`,
      target.res,
      ...ops,
    ),
  );
}

/** lb-community-missing (entry lacks a required community): add the missing ones to that entry. */
export function addCommunitiesFix(
  target: BgpConfiguration,
  all: readonly BgpConfiguration[],
  index: number,
  missing: readonly string[],
): FixOrReason {
  const r = resolveCommunities(missing, target, all);
  if ('reason' in r) return r;
  const ops = [
    ...defineOps(r.define),
    ...r.communities.map((c) => append(['spec', 'prefixAdvertisements', index, 'communities'], c)),
  ];
  return edited(
    editFix(
      `Add communit${r.communities.length > 1 ? 'ies' : 'y'} ${r.communities.join(', ')} to prefixAdvertisements entry ${index} of BGPConfiguration ${target.res.name}`,
      target.res,
      ...ops,
    ),
  );
}

/** Spread into a report: the fix, or the reason appended to the message. */
export function withFix<R extends { message: string }>(r: R, f: FixOrReason): R & { fix?: Fix } {
  if ('fix' in f) return { ...r, fix: f.fix };
  return f.reason ? { ...r, message: `${r.message} (No fix: ${f.reason}.)` } : r;
}
