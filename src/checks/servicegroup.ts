// Section B: PureLB ServiceGroups on their own. The problems are found once per scope in
// servicegroup-problems.ts (through pools.ts, which derives pool validity from them, and the
// scope's context, which runs that pass once); each rule here only reports its own.
import { isUnresolved } from '../manifests/model.ts';
import { at, refOf, writtenAsManifest } from '../manifests/resource.ts';
import { type CheckContext, defineRule, type Rule } from './registry.ts';
import { SG_SEVERITY, type SgRuleId } from './servicegroup-problems.ts';

const family = 'servicegroup';

const IPRANGE = 'purelb pkg/apis/purelb/v2/iprange.go';
const LOCALPOOL = 'purelb internal/allocator/localpool.go';
const ALLOCATOR = 'purelb internal/allocator/allocator.go';
const TYPES = 'purelb pkg/apis/purelb/v2/types.go';
const ANNOUNCER = 'purelb internal/local/announcer_local.go';
const VALIDATE = 'purelb cmd/kubectl-purelb/validate.go';

function reportProblems(ctx: CheckContext, rule: SgRuleId): void {
  for (const p of ctx.serviceGroups().problems) {
    if (p.rule !== rule) continue;
    ctx.report({
      ...at(p.group.res, p.path, p.part),
      message: p.message,
      resource: refOf(p.group.res),
      value: p.value,
      ...(p.fix && { fix: p.fix }),
      ...(p.related && {
        related: p.related.map((r) => ({ ...at(r.group.res, r.path), message: r.message })),
      }),
    });
  }
}

/** The check of a rule whose findings come from the shared section-B pass. */
const problemsOf = (rule: SgRuleId) => (ctx: CheckContext) => reportProblems(ctx, rule);

export const serviceGroupRules: readonly Rule[] = [
  defineRule({
    id: 'sg-shape',
    family,
    severity: SG_SEVERITY['sg-shape'],
    title: 'A ServiceGroup does not have exactly one mode, or mixes v1 and v2 fields',
    rationale:
      'PureLB rejects the whole group: every Service that asks for it stays pending without an address. v1 takes local or netbox; v2 takes exactly one of local, remote, netbox (<= 0.16) or external (0.17), has no top-level subnet/pool/aggregation, and cannot combine multiPool with balancePools.',
    remediation:
      'Keep one mode under spec. In purelb.io/v2 put subnet/pool/aggregation into v4pool/v6pool (or v4pools/v6pools), and choose either multiPool or balancePools.',
    evidence: [TYPES, ALLOCATOR, VALIDATE],
    check: problemsOf('sg-shape'),
  }),
  defineRule({
    id: 'sg-pool-syntax',
    family,
    severity: SG_SEVERITY['sg-pool-syntax'],
    title: 'A pool is not a CIDR or a from-to range',
    rationale:
      'PureLB parses a pool as a CIDR, or as "from-to" when it contains a dash. A bare address, a comma list, ends of different families or a start after the end leave the group without a usable range: PureLB drops it (invalid CIDR) or hands out nothing.',
    remediation:
      'Write one range per pool: 192.168.10.240/28 or 192.168.10.240-192.168.10.250 (one address: 192.168.10.240/32). Use v4pools/v6pools for several ranges.',
    evidence: [IPRANGE, LOCALPOOL],
    check: problemsOf('sg-pool-syntax'),
  }),
  defineRule({
    id: 'sg-subnet-syntax',
    family,
    severity: SG_SEVERITY['sg-subnet-syntax'],
    title: 'A pool has no subnet, or the subnet is not a CIDR',
    rationale:
      'PureLB parses the subnet with net.ParseCIDR before it accepts the pool; when that fails the group is dropped and its Services get no address.',
    remediation: 'Give every pool the subnet it lives in, as address/prefix (e.g. 192.168.10.0/24).',
    evidence: [LOCALPOOL],
    check: problemsOf('sg-subnet-syntax'),
  }),
  defineRule({
    id: 'sg-subnet-not-canonical',
    family,
    severity: SG_SEVERITY['sg-subnet-not-canonical'],
    title: 'A subnet has host bits set',
    rationale:
      'Go masks 10.0.0.5/24 to 10.0.0.0/24 when it parses it, but multiPool compares subnets as strings, so the same network written two ways is treated as two networks; and readers take the written address for the network.',
    remediation: 'Write the network address (10.0.0.0/24, not 10.0.0.5/24).',
    evidence: [LOCALPOOL, ANNOUNCER],
    fix: 'Rewrite the subnet to its network address.',
    check: problemsOf('sg-subnet-not-canonical'),
  }),
  defineRule({
    id: 'sg-pool-outside-subnet',
    family,
    severity: SG_SEVERITY['sg-pool-outside-subnet'],
    title: 'A pool reaches outside its subnet',
    rationale:
      'PureLB checks that both ends of the range lie inside the subnet and drops the group otherwise ("range ... not contained by network"); a pool in another family than its subnet never fits.',
    remediation: 'Shrink the pool to the subnet, or set the subnet that actually contains it.',
    evidence: [LOCALPOOL, IPRANGE],
    check: problemsOf('sg-pool-outside-subnet'),
  }),
  defineRule({
    id: 'sg-pool-family',
    family,
    severity: SG_SEVERITY['sg-pool-family'],
    title: 'v4pool(s) holds IPv6 or v6pool(s) holds IPv4',
    rationale:
      'PureLB does not check the family of these slots (inferred from the code); dual-stack allocation picks the pool by slot, so a Service asking for IPv4 is offered an IPv6 range, or none.',
    remediation:
      'Move the entry to the slot of its family: IPv4 under v4pool/v4pools, IPv6 under v6pool/v6pools.',
    evidence: [TYPES, LOCALPOOL],
    check: problemsOf('sg-pool-family'),
  }),
  defineRule({
    id: 'sg-aggregation',
    family,
    severity: SG_SEVERITY['sg-aggregation'],
    title: 'An aggregation is not "default" or "/N"',
    rationale:
      'PureLB builds the route mask by parsing "0.0.0.0" + aggregation (or "::" + aggregation): "32" becomes "0.0.0.032", /33 does not exist, and the address is never put on the interface, so nothing is announced. purelb.io/v1 also fails on an empty aggregation for a routed pool.',
    remediation:
      'Use /32 (IPv4) or /128 (IPv6) for one route per address on a routed pool, or default to announce the whole subnet.',
    evidence: [ANNOUNCER, TYPES],
    fix: 'Restore a missing slash (`32` becomes `/32`); otherwise `/32` for a routed IPv4 pool, `/128` for a routed IPv6 pool, `default` for a local one.',
    check: problemsOf('sg-aggregation'),
  }),
  defineRule({
    id: 'sg-aggregation-wider-than-subnet',
    family,
    severity: SG_SEVERITY['sg-aggregation-wider-than-subnet'],
    title: 'An aggregation is shorter than the subnet prefix',
    rationale:
      'With /N shorter than the subnet, the prefix PureLB puts on the dummy interface (and BGP announces) covers addresses outside the subnet, attracting traffic for hosts this cluster does not own.',
    remediation:
      'Use an aggregation at least as long as the subnet prefix (/32 for single addresses), or default.',
    evidence: [ANNOUNCER],
    check: problemsOf('sg-aggregation-wider-than-subnet'),
  }),
  defineRule({
    id: 'sg-pool-overlap',
    family,
    severity: SG_SEVERITY['sg-pool-overlap'],
    title: 'Two PureLB pools overlap',
    rationale:
      "Two pools handing out the same address give two Services one IP. PureLB's own check only asks whether one range's ends fall in the other, so a small pool nested inside a larger one (in one group or across groups) slips through.",
    remediation:
      'Make the ranges disjoint; to share an address between Services use purelb.io/allow-shared-ip instead.',
    evidence: [IPRANGE, ALLOCATOR],
    check: problemsOf('sg-pool-overlap'),
  }),
  defineRule({
    id: 'sg-duplicate-name',
    family,
    severity: SG_SEVERITY['sg-duplicate-name'],
    title: 'Two ServiceGroups have the same name',
    rationale:
      'In one namespace two manifests of one name are one Kubernetes object: whichever is applied last replaces the other, and a set of pools silently disappears. PureLB keys purelb.io/v1 groups by name alone, so v1 names collide across namespaces too; v2 groups are per namespace.',
    remediation: 'Rename one of them, or merge their pools into one group.',
    evidence: [ALLOCATOR, TYPES],
    check: problemsOf('sg-duplicate-name'),
  }),
  defineRule({
    id: 'sg-cidr-pool-host-bits',
    family,
    severity: SG_SEVERITY['sg-cidr-pool-host-bits'],
    title: 'A CIDR-form pool has host bits set',
    rationale:
      'PureLB starts a CIDR pool at the address as written, not at the network address: 10.0.0.100/24 hands out 10.0.0.100-10.0.0.255 only, which is rarely what the author meant.',
    remediation:
      'Write the range explicitly (10.0.0.100-10.0.0.255) or use the network address (10.0.0.0/24).',
    evidence: [IPRANGE],
    check: problemsOf('sg-cidr-pool-host-bits'),
  }),
  defineRule({
    id: 'sg-namespace',
    family,
    severity: SG_SEVERITY['sg-namespace'],
    title: 'A purelb.io/v2 ServiceGroup is outside the PureLB namespace',
    rationale:
      'PureLB >= 0.17 reads v2 ServiceGroups from its own namespace only; a group elsewhere is ignored and its Services get no address.',
    remediation:
      'Move the ServiceGroup to the namespace PureLB runs in (config purelb.namespace, default purelb-system), or set purelb.namespace if PureLB runs elsewhere.',
    evidence: [TYPES, ALLOCATOR],
    check: (ctx) => {
      const ns = ctx.config.purelbNamespace;
      for (const g of ctx.model.serviceGroups) {
        const actual = g.res.namespace;
        // Without metadata.namespace the GitOps tool decides; guessing would only add noise. A group
        // made by the PureLB chart lives in PureLB's own namespace by construction.
        if (g.version !== 'v2' || actual === undefined || isUnresolved(actual) || actual === ns) continue;
        if (!writtenAsManifest(g.res)) continue;
        ctx.report({
          ...at(g.res, ['metadata', 'namespace']),
          message: `ServiceGroup ${g.res.name} is in namespace ${actual}; PureLB >= 0.17 reads purelb.io/v2 groups only from ${ns}.`,
          resource: refOf(g.res),
          value: actual,
        });
      }
    },
  }),
];
