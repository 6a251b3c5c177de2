// `lbguard routes` as text: per scope, the peers with their route counts, then every route with
// its source, communities and receivers, or why it is not exported; with --base, the changes.
import type { Peer } from '../checks/route-peers.ts';
import { peerCounts, type Route } from '../checks/routes.ts';
import type { RouteChange } from '../route-diff.ts';
import type { RoutesReport } from './routes-json.ts';
import { plural } from './shared.ts';

const SOURCE_LABEL: Record<Route['source']['kind'], string> = {
  pool: 'pool of ServiceGroup',
  serviceClusterIPs: 'serviceClusterIPs of BGPConfiguration',
  serviceExternalIPs: 'serviceExternalIPs of BGPConfiguration',
  serviceLoadBalancerIPs: 'serviceLoadBalancerIPs of BGPConfiguration',
};

export const sourceText = (r: Route): string =>
  `${SOURCE_LABEL[r.source.kind]} ${r.source.res.name} (${r.source.at.file}:${r.source.at.line})`;

/** "BGPPeer tor (peerIP 10.0.0.1, asNumber 65001, nodeSelector rack == 'a')", selectors as written. */
export function peerText(p: Peer): string {
  const fields = Object.entries(p.written).map(([k, v]) => `${k} ${v}`);
  return fields.length ? `${p.name} (${fields.join(', ')})` : p.name;
}

export const prefixes = (n: number): string => `${n} ${n === 1 ? 'prefix' : 'prefixes'}`;

const list = (xs: readonly string[]): string => (xs.length ? xs.join(' ') : 'none');

/** Who receives the route, with counts where a peer gets only part of it. */
export function receiversText(r: Route): string {
  if (r.receipts.length === 0) return 'no peer';
  return r.receipts
    .map((x) => {
      const part = x.count !== r.count ? ` (${x.count} of ${r.count})` : '';
      return `${x.peer.name}${part}${x.acceptedEarly ? ' untagged' : ''}`;
    })
    .join(', ');
}

/** Why a route is not exported, with the finding that says so. */
export function reasonText(r: Route): string | undefined {
  const b = r.blockers[0];
  if (!b) return undefined;
  const where = b.at ? ` (${b.rule ? `${b.rule}, ` : ''}${b.at.file}:${b.at.line})` : '';
  return `${b.text}${where}`;
}

/** One line on what a change does on the wire. */
export function changeText(c: RouteChange): string {
  const r = (c.after ?? c.before)!;
  const routes = plural(r.count, 'route');
  if (c.change === 'added') return `announced (${routes}) to ${receiversText(c.after!)}`;
  if (c.change === 'withdrawn') {
    const why = c.after
      ? reasonText(c.after)
      : 'the head has no such route (its source, or every Calico resource of the scope, is gone)';
    return `withdrawn (${routes}) from ${receiversText(c.before!)}${why ? `: ${why}` : ''}`;
  }
  const a = c.before!;
  const b = c.after!;
  const parts: string[] = [];
  if (a.prefix !== b.prefix) parts.push(`prefix ${a.prefix} -> ${b.prefix}`);
  if (a.count !== b.count) parts.push(`routes ${a.count} -> ${b.count}`);
  if (a.communities.join() !== b.communities.join())
    parts.push(`communities ${list(a.communities)} -> ${list(b.communities)}`);
  if (receiversText(a) !== receiversText(b)) parts.push(`peers ${receiversText(a)} -> ${receiversText(b)}`);
  const nodes = (x: Route) => x.nodeCommunities.map((n) => `${n.node}: ${list(n.communities)}`).join('; ');
  if (nodes(a) !== nodes(b)) parts.push(`node communities ${nodes(a) || 'none'} -> ${nodes(b) || 'none'}`);
  return parts.join('; ');
}

export const causeText = (c: RouteChange): string =>
  `${c.cause.file}:${c.cause.line}${c.cause.tree === 'base' ? ' (in the base)' : ''}`;

const MARK: Record<RouteChange['change'], string> = { added: '+', withdrawn: '-', changed: '~' };

export function renderRoutesText(report: RoutesReport): string {
  const out: string[] = [];
  for (const s of report.scopes) {
    out.push(
      `Scope ${s.scope}: ${`${s.model.routes.length} ${s.model.routes.length === 1 ? 'prefix' : 'prefixes'}`}`,
    );
    if (!s.model.calico) {
      out.push('  No Calico resources in this scope: nothing here says what BIRD exports.', '');
      continue;
    }
    const counts = peerCounts(s.model);
    if (counts.length === 0) out.push('  Peers: none (the node mesh is off and there is no BGPPeer)');
    for (const { peer, count } of counts) out.push(`  Peer ${peerText(peer)}: ${plural(count, 'route')}`);
    for (const r of s.model.routes) {
      out.push(`  ${r.prefix}  ${plural(r.count, 'route')}  from ${sourceText(r)}`);
      const why = reasonText(r);
      if (why) out.push(`      not exported: ${why}`);
      out.push(`      communities ${list(r.communities)}; to ${receiversText(r)}`);
      for (const n of r.nodeCommunities)
        out.push(`      on node ${n.node}: communities ${list(n.communities)}`);
      for (const h of r.hits.filter((x) => x.action === 'Reject'))
        out.push(
          `      ${h.peer.name}: ${plural(h.count, 'route')} rejected by BGPFilter ${h.filter.res.name} ${h.key}[${h.index}] (${h.at.file}:${h.at.line})`,
        );
    }
    for (const sk of s.model.skipped) out.push(`  Not modelled: ${sk}`);
    out.push('');
  }
  if (report.changes) {
    out.push(report.changes.length ? 'Changes against the base:' : 'No route changes against the base.');
    for (const c of report.changes)
      out.push(`  ${MARK[c.change]} ${c.scope} ${c.prefix}: ${changeText(c)} [${causeText(c)}]`);
    for (const p of report.peerChanges ?? [])
      out.push(`  ${p.scope} ${p.peer}: ${p.before} -> ${plural(p.after, 'route')}`);
  }
  return `${out.join('\n').trimEnd()}\n`;
}
