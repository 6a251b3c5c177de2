// Small manifests for the route tests, with fixed line layouts so causes and reasons are exact.
import type { Analysis } from '../../src/engine.ts';

// sg: subnet at 8:13, pool at 9:11, aggregation at 10:18 (PureLB v1, routed by its aggregation or Calico CIDRs).
export const sg = (
  name: string,
  subnet: string,
  pool: string,
  aggregation: string,
) => `apiVersion: purelb.io/v1
kind: ServiceGroup
metadata:
  name: ${name}
  namespace: purelb
spec:
  local:
    subnet: ${subnet}
    pool: ${pool}
    aggregation: ${aggregation}
`;

// ipPool: cidr at 6:9, extra spec lines from line 7 on.
export const ipPool = (
  name: string,
  cidr: string,
  ...extra: string[]
) => `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: ${name}
spec:
  cidr: ${cidr}
${extra.map((l) => `  ${l}\n`).join('')}`;

// bgpConfig: spec lines from line 6 on.
export const bgpConfig = (name: string, ...spec: string[]) => `apiVersion: crd.projectcalico.org/v1
kind: BGPConfiguration
metadata:
  name: ${name}
spec:
${spec.map((l) => `  ${l}\n`).join('')}`;

// peer: metadata.name at 4:9, extra spec lines from line 8 on.
export const peer = (name: string, ip: string, ...extra: string[]) => `apiVersion: crd.projectcalico.org/v1
kind: BGPPeer
metadata:
  name: ${name}
spec:
  peerIP: ${ip}
  asNumber: 65001
${extra.map((l) => `  ${l}\n`).join('')}`;

// filter: exportV4 rules from line 7 on.
export const filter = (name: string, ...rules: string[]) => `apiVersion: crd.projectcalico.org/v1
kind: BGPFilter
metadata:
  name: ${name}
spec:
  exportV4:
${rules.map((l) => `  ${l}\n`).join('')}`;

export const install = (bgp: string) => `apiVersion: operator.tigera.io/v1
kind: Installation
metadata:
  name: default
spec:
  calicoNetwork:
    bgp: ${bgp}
`;

/** A route as a reader checks it by hand: prefix, count, source place, verdict, communities, peers. */
export type Row = {
  prefix: string;
  count: number;
  source: string;
  exported: boolean;
  reason?: string;
  communities: string[];
  peers: string[];
};

export function table(a: Analysis, scope = 'default'): Row[] {
  const s = a.routes.find((x) => x.scope === scope);
  if (!s) throw new Error(`no scope ${scope}`);
  return s.model.routes.map((r) => {
    const b = r.blockers[0];
    return {
      prefix: r.prefix,
      count: r.count,
      source: `${r.source.kind} ${r.source.at.file}:${r.source.at.line}`,
      exported: r.exported,
      ...(b
        ? { reason: `${b.code}${b.at ? ` ${b.rule ?? '-'} ${b.at.file}:${b.at.line}:${b.at.column}` : ''}` }
        : {}),
      communities: r.communities,
      peers: r.receipts.map((x) => `${x.peer.name}:${x.count}${x.acceptedEarly ? ' untagged' : ''}`),
    };
  });
}
