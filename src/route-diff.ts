// Head against base for routes: what a change adds to, withdraws from and re-tags on the wire.
// Shared by `lbguard routes --base` and the check run's Routes section.
import type { Route, RouteModel } from './checks/routes.ts';
import { peerCounts } from './checks/routes.ts';
import { refKey, refOf } from './manifests/resource.ts';

export type ScopeRoutes = { scope: string; model: RouteModel };

export type RouteChange = {
  change: 'added' | 'withdrawn' | 'changed';
  scope: string;
  prefix: string;
  before?: Route;
  after?: Route;
  /** The place whose change explains it; `tree: 'base'` when that place exists only in the base (a deleted IPPool). */
  cause: { file: string; line: number; tree: 'head' | 'base' };
};

export type PeerCountChange = { scope: string; peer: string; before: number; after: number };

/** Some peer receives the route: it is on the wire. */
export const announced = (r: Route | undefined): boolean => (r?.receipts.length ?? 0) > 0;

/** What a router sees of a route: its blocks, communities and who receives how many. */
export function wire(r: Route): string {
  return JSON.stringify({
    prefix: r.prefix,
    count: r.count,
    communities: r.communities,
    nodes: r.nodeCommunities.map((n) => [n.node, n.communities]),
    peers: r.receipts.map((x) => [x.peer.name, x.count, x.acceptedEarly ? 'untagged' : '']),
  });
}

const sourceKey = (r: Route): string =>
  `${r.source.kind}\u0000${refKey(refOf(r.source.res))}\u0000${r.source.path.join('.')}`;

/**
 * Pairs base and head routes: same source and prefix first, then the same source (a pool whose
 * subnet or range changed), then the same prefix (a service CIDR that moved in its list).
 */
function pairs(old: readonly Route[], now: readonly Route[]): [Route | undefined, Route | undefined][] {
  const out: [Route | undefined, Route | undefined][] = [];
  const left = new Set(old);
  const right = new Set(now);
  const keys = [(r: Route) => `${sourceKey(r)}\u0000${r.prefix}`, sourceKey, (r: Route) => r.prefix];
  for (const keyOf of keys) {
    const index = new Map<string, Route[]>();
    for (const r of left) index.set(keyOf(r), [...(index.get(keyOf(r)) ?? []), r]);
    for (const r of [...right]) {
      const match = index.get(keyOf(r))?.shift();
      if (!match) continue;
      out.push([match, r]);
      left.delete(match);
      right.delete(r);
    }
  }
  for (const r of right) out.push([undefined, r]);
  for (const r of left) out.push([r, undefined]);
  return out;
}

/**
 * The input that explains a difference: one both trees have but with another value (the head's
 * place), else one only the base has (a deleted IPPool: the base's place), else one only the head
 * has (a new BGPFilter rule), else the route's own source.
 */
export function causeOf(before: Route | undefined, after: Route | undefined): RouteChange['cause'] {
  const place = (at: { file: string; line: number }, tree: 'head' | 'base') => ({
    file: at.file,
    line: at.line,
    tree,
  });
  if (!before) return place(after!.source.at, 'head');
  if (!after) return place(before.source.at, 'base');
  const old = new Map(before.deps.map((d) => [d.key, d]));
  const now = new Map(after.deps.map((d) => [d.key, d]));
  const changed = after.deps.find((d) => old.has(d.key) && old.get(d.key)!.value !== d.value);
  if (changed) return place(changed.at, 'head');
  const gone = before.deps.find((d) => !now.has(d.key));
  if (gone) return place(gone.at, 'base');
  const added = after.deps.find((d) => !old.has(d.key));
  if (added) return place(added.at, 'head');
  return place(after.source.at, 'head');
}

export function diffRoutes(head: readonly ScopeRoutes[], base: readonly ScopeRoutes[]): RouteChange[] {
  const out: RouteChange[] = [];
  const baseBy = new Map(base.map((s) => [s.scope, s.model.routes]));
  const headBy = new Map(head.map((s) => [s.scope, s.model.routes]));
  const scopes = [...new Set([...head.map((s) => s.scope), ...base.map((s) => s.scope)])];
  for (const scope of scopes) {
    for (const [before, after] of pairs(baseBy.get(scope) ?? [], headBy.get(scope) ?? [])) {
      const was = announced(before);
      const is = announced(after);
      let change: RouteChange['change'] | undefined;
      if (was && !is) change = 'withdrawn';
      else if (!was && is) change = 'added';
      else if (was && is && wire(before!) !== wire(after!)) change = 'changed';
      if (!change) continue;
      out.push({
        change,
        scope,
        // A withdrawn route is the base's prefix; anything else is what the head announces.
        prefix: (change === 'withdrawn' ? before : after)!.prefix,
        ...(before ? { before } : {}),
        ...(after ? { after } : {}),
        cause: causeOf(before, after),
      });
    }
  }
  return out;
}

/** Per scope and peer, the routes received before and after, where they differ. */
export function diffPeerCounts(
  head: readonly ScopeRoutes[],
  base: readonly ScopeRoutes[],
): PeerCountChange[] {
  const count = (list: readonly ScopeRoutes[]) => {
    const m = new Map<string, number>();
    for (const s of list)
      for (const c of peerCounts(s.model)) m.set(`${s.scope}\u0000${c.peer.name}`, c.count);
    return m;
  };
  const a = count(head);
  const b = count(base);
  const out: PeerCountChange[] = [];
  for (const key of new Set([...b.keys(), ...a.keys()])) {
    const before = b.get(key) ?? 0;
    const after = a.get(key) ?? 0;
    if (before === after) continue;
    const [scope, peer] = key.split('\u0000') as [string, string];
    out.push({ scope, peer, before, after });
  }
  return out;
}
