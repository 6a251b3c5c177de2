// `lbguard routes --format json`: the route model as data (contract v1, docs/routes.md).
import { familyName } from '../checks/advertisement-view.ts';
import type { Peer } from '../checks/route-peers.ts';
import { peerCounts, type Route } from '../checks/routes.ts';
import { refOf } from '../manifests/resource.ts';
import type { PeerCountChange, RouteChange, ScopeRoutes } from '../route-diff.ts';

export type RoutesReport = {
  scopes: readonly ScopeRoutes[];
  /** Set with --base: what the head changes on the wire. */
  changes?: readonly RouteChange[];
  peerChanges?: readonly PeerCountChange[];
};

const peerJson = (p: Peer) => ({ peer: p.name, kind: p.kind, ...p.written });

export function routeJson(r: Route) {
  const reason = r.blockers[0];
  return {
    prefix: r.prefix,
    family: familyName(r.family),
    source: {
      kind: r.source.kind,
      resource: refOf(r.source.res),
      file: r.source.at.file,
      line: r.source.at.line,
    },
    exported: r.exported,
    ...(reason
      ? {
          reason: {
            code: reason.code,
            text: reason.text,
            ...(reason.rule ? { rule: reason.rule } : {}),
            ...(reason.at ? { file: reason.at.file, line: reason.at.line } : {}),
          },
        }
      : {}),
    communities: r.communities,
    ...(r.nodeCommunities.length
      ? { nodeCommunities: r.nodeCommunities.map((n) => ({ node: n.node, communities: n.communities })) }
      : {}),
    peers: r.receipts.map((x) => ({
      ...peerJson(x.peer),
      count: x.count,
      ...(x.acceptedEarly ? { untagged: true } : {}),
    })),
    ...(r.hits.some((h) => h.action === 'Reject')
      ? {
          filtered: r.hits
            .filter((h) => h.action === 'Reject')
            .map((h) => ({
              peer: h.peer.name,
              filter: h.filter.res.name,
              rule: `${h.key}[${h.index}]`,
              count: h.count,
              file: h.at.file,
              line: h.at.line,
            })),
        }
      : {}),
    count: r.count,
  };
}

export function renderRoutesJson(report: RoutesReport): string {
  const before = new Map((report.peerChanges ?? []).map((c) => [`${c.scope}\u0000${c.peer}`, c.before]));
  const out = {
    version: 1,
    scopes: report.scopes.map((s) => ({
      scope: s.scope,
      calico: s.model.calico,
      peers: peerCounts(s.model).map(({ peer, count }) => {
        const was = before.get(`${s.scope}\u0000${peer.name}`);
        return { ...peerJson(peer), count, ...(was !== undefined ? { before: was } : {}) };
      }),
      ...(s.model.skipped.length ? { skipped: s.model.skipped } : {}),
      routes: s.model.routes.map(routeJson),
    })),
    ...(report.changes
      ? {
          changes: report.changes.map((c) => ({
            change: c.change,
            scope: c.scope,
            prefix: c.prefix,
            ...(c.before ? { before: routeJson(c.before) } : {}),
            ...(c.after ? { after: routeJson(c.after) } : {}),
            cause: c.cause,
          })),
        }
      : {}),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
