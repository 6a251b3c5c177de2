// Section C, BGPConfiguration and BGPPeer on their own: AS numbers, communities, prefixes,
// fields only the `default` configuration may set, and a service range that looks swapped.
import { editFix, set } from '../fixes/build.ts';
import type { BgpConfiguration } from '../manifests/calico.ts';
import type { Path } from '../manifests/document.ts';
import { isUnresolved } from '../manifests/model.ts';
import { at, type Resource } from '../manifests/resource.ts';
import { IntervalIndex } from '../net/intervals.ts';
import type { Interval } from '../net/ip.ts';
import { calicoPoolsOf } from './calico-pools.ts';
import {
  asNumberText,
  communityLiteral,
  defaultBgpConfig,
  INT32_MAX,
  isDnsLabel,
  label,
  parseAsNumber,
  parseCalicoCidr,
  reportAt,
  resolveCommunity,
  UINT16_MAX,
} from './calico-values.ts';
import { type CheckContext, defineRule } from './registry.ts';

const family = 'calico';
const VALIDATOR = 'calico libcalico-go/lib/validator/v3/validator.go';
const BGPCONFIG_API = 'calico api/pkg/apis/projectcalico/v3/bgpconfig.go';
const PRIVATE_2BYTE = 'use a private 2-byte ASN (64512-65534)';

function checkAsNumber(ctx: CheckContext): void {
  for (const { res, spec } of [...ctx.model.bgpConfigurations, ...ctx.model.bgpPeers]) {
    if (spec.asNumber === undefined) continue;
    const text = asNumberText(res, spec.asNumber);
    if (isUnresolved(text)) continue;
    const parsed = parseAsNumber(text);
    const path = ['spec', 'asNumber'];
    if (!parsed.ok) {
      ctx.report(reportAt(res, path, `${label(res)}: asNumber ${parsed.error}; ${PRIVATE_2BYTE}.`, text));
    } else if (parsed.value > INT32_MAX) {
      ctx.report(
        reportAt(
          res,
          path,
          `${label(res)}: asNumber ${text}${parsed.asdot ? ` (${parsed.value})` : ''} is above ${INT32_MAX}: the crd.projectcalico.org/v1 CRD and the projectcalico.org/v3 API server store it as int32 and reject the resource (calico issue 13494); ${PRIVATE_2BYTE}.`,
          text,
        ),
      );
    }
  }
}

/** Literal communities used in prefixAdvertisements: [path, text] of each item. */
function* advertisedCommunities(b: BgpConfiguration): Generator<[Path, string]> {
  const pas = b.spec.prefixAdvertisements ?? [];
  for (let i = 0; i < pas.length; i++) {
    const list = pas[i]!.communities ?? [];
    for (let j = 0; j < list.length; j++) {
      yield [['spec', 'prefixAdvertisements', i, 'communities', j], list[j]!];
    }
  }
}

function checkCommunityFormat(ctx: CheckContext): void {
  for (const b of ctx.model.bgpConfigurations) {
    const res = b.res;
    b.spec.communities?.forEach((c, i) => {
      const base = ['spec', 'communities', i];
      if (c.name === undefined || c.value === undefined) {
        const missing = c.name === undefined ? 'name' : 'value';
        ctx.report(
          reportAt(
            res,
            base,
            `${label(res)}: a community needs both name and value; ${missing} is missing.`,
            missing,
          ),
        );
      }
      if (c.name !== undefined && !isUnresolved(c.name) && !isDnsLabel(c.name)) {
        ctx.report(
          reportAt(
            res,
            [...base, 'name'],
            `${label(res)}: community name "${c.name}" is not a DNS-1123 label (lower-case letters, digits and '-', at most 63).`,
            c.name,
          ),
        );
      }
      if (c.value === undefined || isUnresolved(c.value)) return;
      const lit = communityLiteral(c.value);
      if (!lit || lit.error) {
        const why = lit?.error ?? `"${c.value}" is neither aa:nn nor aa:nn:mm`;
        ctx.report(
          reportAt(
            res,
            [...base, 'value'],
            `${label(res)}: community value ${why}; Calico rejects it.`,
            c.value,
          ),
        );
      }
    });
    for (const [path, text] of advertisedCommunities(b)) {
      const error = communityLiteral(text)?.error;
      if (error) ctx.report(reportAt(res, path, `${label(res)}: ${error}; Calico rejects it.`, text));
    }
  }
}

function checkCommunityUndefined(ctx: CheckContext): void {
  for (const b of ctx.model.bgpConfigurations) {
    const names = new Set((b.spec.communities ?? []).map((c) => c.name));
    for (const [path, text] of advertisedCommunities(b)) {
      if (isUnresolved(text) || communityLiteral(text) || names.has(text)) continue;
      const defined = [...names].filter((n): n is string => n !== undefined);
      const known = defined.length
        ? ` (defined here: ${defined.join(', ')})`
        : ' (this resource defines none)';
      ctx.report(
        reportAt(
          b.res,
          path,
          `${label(b.res)}: community "${text}" is neither a value (aa:nn, aa:nn:mm) nor a name in this resource's spec.communities${known}; Calico rejects it ("community used is invalid or not defined") and confd drops it silently.`,
          text,
        ),
      );
    }
  }
}

function checkCommunityUnused(ctx: CheckContext): void {
  for (const b of ctx.model.bgpConfigurations) {
    if (!b.spec.communities?.length || b.spec.prefixAdvertisements?.length) continue;
    ctx.report(
      reportAt(
        b.res,
        ['spec', 'communities'],
        `${label(b.res)}: spec.communities is defined but there are no prefixAdvertisements to use it; Calico rejects the resource.`,
        'communities',
        'key',
      ),
    );
  }
}

/** The AS number a configuration's routes carry: its own, else the default configuration's, else Calico's 64512. */
function effectiveAsn(ctx: CheckContext, b: BgpConfiguration): number | undefined {
  const own = (c: BgpConfiguration): number | undefined | null => {
    if (c.spec.asNumber === undefined) return null;
    const text = asNumberText(c.res, c.spec.asNumber);
    const p = isUnresolved(text) ? undefined : parseAsNumber(text);
    return p?.ok && p.value <= INT32_MAX ? p.value : undefined;
  };
  const mine = own(b);
  if (mine !== null) return mine;
  const dflt = defaultBgpConfig(ctx.model);
  const theirs = dflt ? own(dflt) : null;
  return theirs === null ? 64_512 : theirs;
}

function checkCommunity4ByteAsn(ctx: CheckContext): void {
  for (const b of ctx.model.bgpConfigurations) {
    const asn = effectiveAsn(ctx, b);
    if (asn === undefined || asn <= UINT16_MAX) continue;
    const seen = new Set<string>();
    for (const [path, text] of advertisedCommunities(b)) {
      const value = isUnresolved(text) ? undefined : resolveCommunity(b.spec, text);
      const lit = value === undefined ? undefined : communityLiteral(value);
      // 65535:x are the well-known communities (no-export and friends): standard by definition.
      if (!value || lit?.kind !== 'standard' || lit.error || lit.parts[0] === 65_535n || seen.has(value))
        continue;
      seen.add(value);
      const [, nn] = lit.parts;
      ctx.report(
        reportAt(
          b.res,
          path,
          `${label(b.res)}: standard community ${value}${value === text ? '' : ` ("${text}")`} cannot carry AS ${asn}, which needs 4 bytes; a large community such as ${asn}:0:${nn} can.`,
          value,
        ),
      );
    }
  }
}

function checkPrefixCidr(ctx: CheckContext): void {
  for (const b of ctx.model.bgpConfigurations) {
    const res = b.res;
    const lists = [
      ['prefixAdvertisements', b.spec.prefixAdvertisements],
      ['serviceClusterIPs', b.spec.serviceClusterIPs],
      ['serviceExternalIPs', b.spec.serviceExternalIPs],
      ['serviceLoadBalancerIPs', b.spec.serviceLoadBalancerIPs],
    ] as const;
    for (const [key, list] of lists) {
      list?.forEach((entry, i) => {
        const path = ['spec', key, i, 'cidr'];
        const text = entry.cidr;
        if (text === undefined) {
          // Calico requires a cidr on prefixAdvertisements only; an empty service block is harmless.
          if (key === 'prefixAdvertisements') {
            ctx.report(
              reportAt(
                res,
                ['spec', key, i],
                `${label(res)}: ${key}[${i}] has no cidr; Calico rejects it.`,
                `${key}[${i}]`,
              ),
            );
          }
          return;
        }
        if (isUnresolved(text)) return;
        const cidr = parseCalicoCidr(text);
        if (!cidr) {
          ctx.report(
            reportAt(
              res,
              path,
              `${label(res)}: ${key} cidr "${text}" is not a CIDR; Calico rejects it.`,
              text,
            ),
          );
        } else if (!cidr.canonical) {
          const fix = editFix(
            `Set cidr to the network address ${cidr.network}`,
            res,
            set(path, cidr.network),
          );
          ctx.report({
            ...reportAt(
              res,
              path,
              `${label(res)}: ${key} cidr ${text} has host bits set; Calico rejects it (not strictly masked). Use ${cidr.network}.`,
              text,
            ),
            fix,
          });
        }
      });
    }
  }
}

const DEFAULT_ONLY = [
  'asNumber',
  'nodeToNodeMeshEnabled',
  'serviceClusterIPs',
  'serviceExternalIPs',
  'serviceLoadBalancerIPs',
  'nodeMeshPassword',
  'nodeMeshMaxRestartTime',
] as const;

function checkDefaultOnly(ctx: CheckContext): void {
  for (const b of ctx.model.bgpConfigurations) {
    const name = b.res.name;
    if (name === 'default' || name === '' || isUnresolved(name)) continue;
    for (const key of DEFAULT_ONLY) {
      const v: unknown = b.spec[key];
      // Calico itself lets an empty service list through.
      if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
      ctx.report(
        reportAt(
          b.res,
          ['spec', key],
          `${label(b.res)}: ${key} may only be set on the BGPConfiguration named default; Calico rejects it here${name.startsWith('node.') ? ' (per-node configurations cannot set it)' : ''}.`,
          key,
          'key',
        ),
      );
    }
  }
}

function checkServiceOverlapsPool(ctx: CheckContext): void {
  type Pool = { res: Resource; path: Path; text: string };
  const pools: { iv: Interval; value: Pool }[] = calicoPoolsOf(ctx).flatMap((r) =>
    r.parsed ? [{ iv: r.parsed, value: { res: r.res, path: [...r.path, 'cidr'], text: r.text! } }] : [],
  );
  if (pools.length === 0) return;
  const index = new IntervalIndex(pools);
  for (const b of ctx.model.bgpConfigurations) {
    b.spec.serviceClusterIPs?.forEach((entry, i) => {
      const text = entry.cidr;
      const cidr = text !== undefined && !isUnresolved(text) ? parseCalicoCidr(text) : undefined;
      if (!cidr) return;
      const hits = index.overlapping(cidr);
      if (hits.length === 0) return;
      ctx.report({
        ...reportAt(
          b.res,
          ['spec', 'serviceClusterIPs', i, 'cidr'],
          `${label(b.res)}: serviceClusterIPs ${text} overlaps ${hits.map((h) => `${label(h.res)} (${h.text})`).join(', ')}: service and pod ranges look swapped.`,
          text!,
        ),
        related: hits.map((h) => ({ ...at(h.res, h.path), message: `${label(h.res)} (${h.text})` })),
      });
    });
  }
}

export const bgpAsnumber = defineRule({
  id: 'bgp-asnumber',
  family,
  severity: 'error',
  title: 'asNumber is not a valid AS number, or is above 2147483647',
  rationale:
    'Both the crd.projectcalico.org/v1 CRD and the projectcalico.org/v3 API server validate asNumber as int32 and reject the resource; every private 4-byte ASN (4200000000-4294967294, RFC 6996) is above that limit.',
  remediation:
    'Use a private 2-byte ASN (64512-65534), written plain (65010) or asdot (X.Y with 16-bit parts).',
  evidence: ['calico issue 13494', BGPCONFIG_API, 'calico api/pkg/apis/projectcalico/v3/bgppeer.go'],
  check: checkAsNumber,
});

export const bgpCommunityFormat = defineRule({
  id: 'bgp-community-format',
  family,
  severity: 'error',
  title: 'BGP community value or name is malformed',
  rationale:
    'Calico accepts standard communities aa:nn (16-bit parts) and large ones aa:nn:mm (32-bit parts), and names that are DNS-1123 labels; anything else is rejected.',
  remediation:
    'Write aa:nn with parts up to 65535, or aa:nn:mm with parts up to 4294967295; name communities in lower case.',
  evidence: [VALIDATOR, BGPCONFIG_API],
  check: checkCommunityFormat,
});

export const bgpCommunityUndefined = defineRule({
  id: 'bgp-community-undefined',
  family,
  severity: 'error',
  title: 'A prefixAdvertisements community is neither a value nor a name defined in the same resource',
  rationale:
    'Calico looks names up only in the same BGPConfiguration\'s spec.communities ("community used is invalid or not defined"); where validation is skipped, confd drops the community silently and routes go out untagged.',
  remediation:
    'Define the name under spec.communities of the same resource, or write the value (aa:nn or aa:nn:mm) directly.',
  evidence: [VALIDATOR, 'purelb website/content/cni/calico/_index.md'],
  check: checkCommunityUndefined,
});

export const bgpCommunityUnused = defineRule({
  id: 'bgp-community-unused',
  family,
  severity: 'error',
  title: 'spec.communities defined without prefixAdvertisements',
  rationale:
    'Calico rejects a BGPConfiguration that defines communities but has no prefixAdvertisements to use them.',
  remediation: 'Add the prefixAdvertisements that use the communities, or remove spec.communities.',
  evidence: [VALIDATOR],
  check: checkCommunityUnused,
});

export const bgpCommunity4byteAsn = defineRule({
  id: 'bgp-community-4byte-asn',
  family,
  severity: 'notice',
  title: 'A standard community is used with a 4-byte AS number',
  rationale:
    'A standard community has a 16-bit AS part, so it cannot name an AS above 65535; routers that filter on "own AS" communities will not match it. A large community (RFC 8092) can.',
  remediation: 'Use a large community asn:x:y, or a 2-byte private ASN.',
  evidence: [VALIDATOR, 'RFC 8092 (BGP large communities)'],
  check: checkCommunity4ByteAsn,
});

export const bgpPrefixCidr = defineRule({
  id: 'bgp-prefix-cidr',
  family,
  severity: 'error',
  title: 'prefixAdvertisements or service*IPs cidr invalid or not strictly masked',
  rationale:
    'Calico validates these as networks: a CIDR that does not parse or has host bits set is rejected.',
  remediation: 'Write the network address of the prefix.',
  evidence: [VALIDATOR, BGPCONFIG_API],
  fix: 'rewrite cidr to the network address',
  check: checkPrefixCidr,
});

export const bgpDefaultOnlyField = defineRule({
  id: 'bgp-default-only-field',
  family,
  severity: 'error',
  title: 'A BGPConfiguration not named default sets a default-only field',
  rationale:
    'asNumber, nodeToNodeMeshEnabled, service*IPs, nodeMeshPassword and nodeMeshMaxRestartTime can only be set on the BGPConfiguration named default; Calico rejects them elsewhere.',
  remediation:
    'Move the field to the BGPConfiguration named default (per-node AS numbers go on the Node resource).',
  evidence: ['calico libcalico-go/lib/clientv3/bgpconfig.go', BGPCONFIG_API],
  check: checkDefaultOnly,
});

export const bgpServiceCidrOverlapsPool = defineRule({
  id: 'bgp-service-cidr-overlaps-pool',
  family,
  severity: 'warning',
  title: 'serviceClusterIPs overlaps an IPPool',
  rationale:
    'The service cluster range and the pod pools must be disjoint; an overlap usually means the two ranges were swapped (seen in public homelab repos), and Calico then advertises pod addresses as services.',
  remediation: "Set serviceClusterIPs to the cluster's --service-cluster-ip-range, not the pod CIDR.",
  evidence: [BGPCONFIG_API, 'calico confd bird.cfg.template'],
  check: checkServiceOverlapsPool,
});
