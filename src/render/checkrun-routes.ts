// The check run's Routes section: what a pull request changes on the wire, per peer, as a compact
// diff above the findings, with the head's whole route table folded below it; and the title
// words for a withdrawn LoadBalancer prefix. The changes come from src/route-diff.ts.
import type { Route } from '../checks/routes.ts';
import type { PeerCountChange, RouteChange, ScopeRoutes } from '../route-diff.ts';
import { causeText, prefixes, reasonText, receiversText, sourceText } from './routes-text.ts';
import { plural } from './shared.ts';

export type RoutesSectionInput = {
  head: readonly ScopeRoutes[];
  changes: readonly RouteChange[];
  peerChanges: readonly PeerCountChange[];
};

/** Lines of one peer's diff shown before "and N more"; rows of the folded table. */
const MAX_PEER_LINES = 40;
const MAX_TABLE_ROWS = 150;

const LOAD_BALANCER: ReadonlySet<Route['source']['kind']> = new Set(['pool', 'serviceLoadBalancerIPs']);

/** LoadBalancer prefixes (PureLB pools, serviceLoadBalancerIPs) the change takes off the wire. */
export const withdrawnLoadBalancer = (changes: readonly RouteChange[]): string[] =>
  changes
    .filter((c) => c.change === 'withdrawn' && LOAD_BALANCER.has(c.before!.source.kind))
    .map((c) => c.prefix);

/** Words for the run's title, when the change withdraws a LoadBalancer prefix. */
export function routesTitle(changes: readonly RouteChange[]): string | undefined {
  const w = withdrawnLoadBalancer(changes);
  if (w.length === 0) return undefined;
  return w.length === 1
    ? `withdraws LoadBalancer prefix ${w[0]}`
    : `withdraws ${w.length} LoadBalancer prefixes (${w[0]}, …)`;
}

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const tags = (r: Route, untagged: boolean): string =>
  untagged || r.communities.length === 0 ? 'no communities' : r.communities.join(' ');

/** Why a peer no longer receives a route it had. */
function lostBecause(c: RouteChange, peer: string): string {
  if (!c.after)
    return 'the head has no such route (its source, or every Calico resource of the scope, is gone)';
  const hit = c.after.hits.find((h) => h.peer.name === peer && h.action === 'Reject');
  if (hit) return `rejected by BGPFilter ${hit.filter.res.name} ${hit.key}[${hit.index}]`;
  return reasonText(c.after) ?? 'no longer sent to this peer';
}

type PeerDiff = { scope: string; peer: string; lines: string[] };

/** Each change split by the peers it touches: `+` now received, `-` no longer, `~` re-tagged or resized. */
function perPeer(changes: readonly RouteChange[]): PeerDiff[] {
  const out = new Map<string, PeerDiff>();
  for (const c of changes) {
    const before = new Map((c.before?.receipts ?? []).map((x) => [x.peer.name, x]));
    const after = new Map((c.after?.receipts ?? []).map((x) => [x.peer.name, x]));
    for (const peer of new Set([...before.keys(), ...after.keys()])) {
      const b = before.get(peer);
      const a = after.get(peer);
      let line: string | undefined;
      if (b && !a) line = `- ${c.prefix} (${plural(b.count, 'route')}): ${lostBecause(c, peer)}`;
      else if (a && !b)
        line = `+ ${c.prefix} (${plural(a.count, 'route')}), ${tags(c.after!, Boolean(a.acceptedEarly))}`;
      else if (a && b) {
        const parts: string[] = [];
        if (a.count !== b.count) parts.push(`${b.count} -> ${plural(a.count, 'route')}`);
        const was = tags(c.before!, Boolean(b.acceptedEarly));
        const is = tags(c.after!, Boolean(a.acceptedEarly));
        if (was !== is) parts.push(`${was} -> ${is}`);
        if (parts.length) line = `~ ${c.prefix}: ${parts.join('; ')}`;
      }
      if (!line) continue;
      const key = `${c.scope}\u0000${peer}`;
      const entry = out.get(key) ?? { scope: c.scope, peer, lines: [] };
      entry.lines.push(`${line} [${causeText(c)}]`);
      out.set(key, entry);
    }
  }
  return [...out.values()];
}

/** The section as Markdown lines, or none when the change announces nothing new. */
export function renderRoutesSection(input: RoutesSectionInput): string[] {
  if (input.changes.length === 0) return [];
  const many = new Set(input.head.map((s) => s.scope)).size > 1;
  const counts = new Map(input.peerChanges.map((p) => [`${p.scope}\u0000${p.peer}`, p]));
  const out = [
    '### Routes\n',
    'This pull request changes what the clusters announce (head against the merge base):\n',
  ];
  for (const d of perPeer(input.changes)) {
    const n = counts.get(`${d.scope}\u0000${d.peer}`);
    const tally = n ? `: ${n.before} -> ${plural(n.after, 'route')}` : '';
    out.push(`**${many ? `${esc(d.scope)} · ` : ''}${esc(d.peer)}**${tally}\n`, '```diff');
    out.push(...d.lines.slice(0, MAX_PEER_LINES));
    if (d.lines.length > MAX_PEER_LINES) out.push(`  … and ${d.lines.length - MAX_PEER_LINES} more`);
    out.push('```', '');
  }
  const routes = input.head.flatMap((s) => s.model.routes.map((r) => ({ scope: s.scope, r })));
  out.push(
    `<details><summary>All routes of the head (${prefixes(routes.length)})</summary>\n`,
    `| ${many ? 'Scope | ' : ''}Prefix | Routes | Source | Communities | Peers |`,
    `|${many ? '---|' : ''}---|---|---|---|---|`,
  );
  for (const { scope, r } of routes.slice(0, MAX_TABLE_ROWS)) {
    const peers = r.exported || r.receipts.length ? receiversText(r) : `not exported: ${reasonText(r) ?? ''}`;
    out.push(
      `| ${many ? `${esc(scope)} | ` : ''}\`${r.prefix}\` | ${r.count} | ${esc(sourceText(r))} | ${esc(r.communities.join(' ')) || '-'} | ${esc(peers)} |`,
    );
  }
  if (routes.length > MAX_TABLE_ROWS)
    out.push('', `${routes.length - MAX_TABLE_ROWS} more routes: \`lbguard routes\` lists them all.`);
  out.push('', '</details>', '');
  return out;
}
