// One row per PureLB pool for summaries (the check run's pool table, the text report). The verdict
// is derived from the findings: a pool is a problem when an error or warning is about it, so the
// table can never say ok beside an error. Coverage and communities come from the rules' own view.
import type { Finding } from '../findings.ts';
import { managesCalico } from '../manifests/model.ts';
import { formatInterval } from '../net/ip.ts';
import { type Coverage, communitiesOf, coverageOf, coveringEntries, viewOf } from './advertisement-view.ts';
import { RULES_BY_ID } from './index.ts';
import { describeAdvertised, type PoolInfo } from './pools.ts';
import type { CheckContext } from './registry.ts';

export type PoolRow = {
  scope: string;
  group: string;
  file: string;
  pool: string;
  mode: 'routed' | 'local';
  advertised: string;
  coveringIpPool: string;
  communities: string;
  verdict: 'ok' | 'problem' | 'unknown';
};

/** A row before the findings are known, with what the verdict needs. */
export type PoolDraft = {
  row: Omit<PoolRow, 'verdict'>;
  /** `file:line:column` of the pool's own fields and of its entry: a finding here is about it. */
  places: ReadonlySet<string>;
  /** `file:line:column` of its group's fields: a finding about the group is about each of its pools. */
  groupPlaces: ReadonlySet<string>;
  /** PureLB drops the pool (a section-B error), whatever the findings say after config. */
  dropped: boolean;
  /** A `${VAR}` stands where a verdict would need a value. */
  unknown: boolean;
};

const placeOf = (s: { file: string; line: number; column: number }): string =>
  `${s.file}:${s.line}:${s.column}`;

/** Names of the Calico pools (or service*IPs entries) that export P. */
const coveringNames = (c: Coverage): string =>
  [...new Set(c.covering.map((e) => (e.pool ? e.pool.res.name : e.label)))].join(', ');

function placesOf(p: PoolInfo): Set<string> {
  const doc = p.group.res.doc;
  const out = new Set<string>([placeOf(doc.span(p.pool.path)), placeOf(doc.span(p.pool.path, 'key'))]);
  for (const field of ['subnet', 'pool', 'aggregation']) {
    const path = [...p.pool.path, field];
    if (!doc.has(path)) continue;
    out.add(placeOf(doc.span(path)));
    out.add(placeOf(doc.span(path, 'key')));
  }
  return out;
}

function groupPlacesOf(p: PoolInfo): Set<string> {
  const doc = p.group.res.doc;
  const out = new Set<string>();
  for (const path of [['metadata', 'name'], ['metadata', 'namespace'], ['spec'], ['apiVersion']]) {
    out.add(placeOf(doc.span(path)));
    out.add(placeOf(doc.span(path, 'key')));
  }
  // Mode keys (sg-shape points at them).
  for (const m of p.group.modes) out.add(placeOf(doc.span(['spec', m], 'key')));
  return out;
}

/**
 * The drafts of one scope, read through the scope's context (the rules' own pools, view and
 * coverage, already computed). The table never reports, so any context of the scope will do.
 */
export function poolDrafts(ctx: CheckContext): PoolDraft[] {
  const { scope } = ctx;
  const view = managesCalico(ctx.model) ? viewOf(ctx) : undefined;
  return ctx.pools().map((p) => {
    const routed = p.valid && p.routed && p.advertised !== undefined;
    const cov = view && routed ? coverageOf(ctx, p) : undefined;
    const entries =
      view && routed ? coveringEntries(view.defaultAdverts, p.advertised!.span, p.advertised!.prefix) : [];
    return {
      row: {
        scope,
        group: p.group.res.name,
        file: p.group.res.file,
        pool: p.range ? formatInterval(p.range) : (p.pool.pool ?? ''),
        mode: p.routed ? 'routed' : 'local',
        advertised: p.advertised && p.routed ? describeAdvertised(p.advertised) : '',
        coveringIpPool: cov ? coveringNames(cov) : '',
        communities: communitiesOf(entries).join(', '),
      },
      places: placesOf(p),
      groupPlaces: groupPlacesOf(p),
      dropped: !p.valid && !p.unresolved,
      // Without Calico in scope (or with a ${VAR} export CIDR) nothing says a routed pool is exported.
      unknown: p.unresolved || (p.valid && p.routed && (!view || (routed && view.unresolvedExport))),
    };
  });
}

/** Findings that speak about pools: the ServiceGroup, Calico and PureLB-against-Calico sections. */
const POOL_FAMILIES = new Set(['servicegroup', 'calico', 'advertisement']);

/** The pool's verdict: the worst error or warning about it, else unknown or ok. */
export function poolVerdicts(drafts: readonly PoolDraft[], findings: readonly Finding[]): PoolRow[] {
  const serious = findings.filter(
    (f) => f.severity !== 'notice' && POOL_FAMILIES.has(RULES_BY_ID.get(f.rule)?.family ?? ''),
  );
  const placesOfFinding = serious.map((f) => [placeOf(f), ...(f.related ?? []).map(placeOf)]);
  return drafts.map((d) => {
    const about = placesOfFinding.some((ps) => ps.some((x) => d.places.has(x) || d.groupPlaces.has(x)));
    const verdict: PoolRow['verdict'] = about || d.dropped ? 'problem' : d.unknown ? 'unknown' : 'ok';
    return { ...d.row, verdict };
  });
}
