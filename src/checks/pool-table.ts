// One row per PureLB pool for summaries (the check run's pool table, the text report). Coverage and
// communities come from the same functions the section-D rules use, so the table never disagrees
// with the findings.
import type { Config } from '../config.ts';
import { managesCalico } from '../manifests/model.ts';
import { formatInterval } from '../net/ip.ts';
import {
  allocatableFor,
  type CalicoView,
  type Coverage,
  communitiesOf,
  coverageOf,
  coveringEntries,
  encapsulationField,
  inPodPool,
  missingRequired,
  operatorPoolFor,
  operatorPoolProblems,
  sharesCalicoLbPool,
  viewOf,
} from './advertisement-view.ts';
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

/** Names of the Calico pools (or service*IPs entries) that export P. */
const coveringNames = (c: Coverage): string =>
  [...new Set(c.covering.map((e) => (e.pool ? e.pool.res.name : e.label)))].join(', ');

/** A section-D error or warning about this pool would be reported (same predicates as the rules). */
function hasProblem(view: CalicoView, p: PoolInfo, cov: Coverage | undefined, config: Config): boolean {
  if (cov && (cov.uncovered || cov.rejecting.length > 0)) return true;
  if (cov?.covering.some((e) => e.pool && encapsulationField(e.pool))) return true;
  if (p.routed && p.advertised && config.requiredCommunities.length > 0 && !view.unresolvedAdverts) {
    const entries = coveringEntries(view.defaultAdverts, p.advertised.span, p.advertised.prefix);
    if (entries.length === 0 || missingRequired(config.requiredCommunities, entries).length > 0) return true;
  }
  if (!p.subnet) return false;
  // A valid pool's range lies inside its subnet, so the subnet query finds every candidate.
  return view.poolIndex
    .overlapping(p.subnet)
    .some(
      (c) =>
        sharesCalicoLbPool(c, p) ||
        inPodPool(c, p) ||
        allocatableFor(c, p) ||
        (operatorPoolFor(c, p) && operatorPoolProblems(c).length > 0),
    );
}

/**
 * The rows of one scope, read through the scope's context (the rules' own pools, view and
 * coverage, already computed). The table never reports, so any context of the scope will do.
 */
export function poolRows(ctx: CheckContext): PoolRow[] {
  const { config, scope } = ctx;
  const view = managesCalico(ctx.model) ? viewOf(ctx) : undefined;
  return ctx.pools().map((p) => {
    const routed = p.valid && p.routed && p.advertised !== undefined;
    const cov = view && routed ? coverageOf(ctx, p) : undefined;
    const entries =
      view && routed ? coveringEntries(view.defaultAdverts, p.advertised!.span, p.advertised!.prefix) : [];
    let verdict: PoolRow['verdict'];
    if (!p.valid) verdict = p.unresolved ? 'unknown' : 'problem';
    else if (!view || (routed && view.unresolvedExport)) verdict = p.routed ? 'unknown' : 'ok';
    else verdict = hasProblem(view, p, cov, config) ? 'problem' : 'ok';
    return {
      scope,
      group: p.group.res.name,
      file: p.group.res.file,
      pool: p.range ? formatInterval(p.range) : (p.pool.pool ?? ''),
      mode: p.routed ? 'routed' : 'local',
      advertised: p.advertised && p.routed ? describeAdvertised(p.advertised) : '',
      coveringIpPool: cov ? coveringNames(cov) : '',
      communities: communitiesOf(entries).join(', '),
      verdict,
    };
  });
}
