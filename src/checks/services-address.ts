// Section E rules about the addresses Services request and the pools they land in.
import type { Path } from '../manifests/document.ts';
import { isUnresolved } from '../manifests/model.ts';
import { at } from '../manifests/resource.ts';
import { PURELB_ANNOTATIONS } from '../manifests/service.ts';
import { bits } from '../net/ip.ts';
import { type PoolInfo, poolLabel } from './pools.ts';
import { type CheckContext, defineRule } from './registry.ts';
import {
  ALLOCATOR_GO,
  ANNOTATIONS_GO,
  addressKey,
  hasGroupIpamElsewhere,
  mightHold,
  parseAddressList,
  poolsHolding,
  type RequestedAddress,
  reportAt,
  type ServicesView,
  type ServiceView,
  serviceIdentity,
  servicesView,
  svcName,
} from './services-view.ts';

const family = 'services';

const fieldName = (s: ServiceView): string =>
  s.request?.source === 'loadBalancerIP' ? 'spec.loadBalancerIP' : PURELB_ANNOTATIONS.addresses;

const poolPath = (p: PoolInfo): Path => [...p.pool.path, p.pool.pool !== undefined ? 'pool' : 'subnet'];

/** Pools a Service allocates from: those holding its requested addresses, else its group's (or `default`'s). */
function poolsOfService(v: ServicesView, s: ServiceView): PoolInfo[] {
  if (s.request) return (s.addresses ?? []).flatMap((a) => poolsHolding(v, a));
  const groups = v.groupsByName.get(s.group ?? 'default') ?? [];
  return groups.flatMap((g) => v.poolsOf.get(g) ?? []).filter((p) => p.valid);
}

function checkOutsidePool(ctx: CheckContext, v: ServicesView, s: ServiceView, a: RequestedAddress): void {
  const holding = poolsHolding(v, a);
  const field = fieldName(s);
  if (holding.length === 0) {
    // An invalid or unresolved pool might hold it (one cause, one finding), and netbox or
    // external IPAM groups hand out addresses lbguard cannot see.
    if (v.unsurePools.some((p) => mightHold(p, a)) || v.externalIpam) return;
    reportAt(
      ctx,
      s,
      s.request!.path,
      `${field} asks for ${a.text}, which is in no ServiceGroup pool of this scope; PureLB refuses it ("does not belong to any group") and Service ${svcName(s)} stays pending.`,
      a.text,
    );
    return;
  }
  const named = s.group !== undefined ? v.groupsByName.get(s.group) : undefined;
  if (!named || holding.some((p) => named.includes(p.group))) return;
  const namedPools = named.flatMap((g) => v.poolsOf.get(g) ?? []);
  if (named.some(hasGroupIpamElsewhere) || namedPools.some((p) => !p.valid)) return;
  const owner = holding[0]!;
  reportAt(
    ctx,
    s,
    s.request!.path,
    `${field} asks for ${a.text}, which is not in ServiceGroup "${s.group}" named by purelb.io/service-group but in pool ${poolLabel(owner)}; PureLB takes it from "${owner.group.res.name}" and ignores the group annotation.`,
    a.text,
    {
      related: [
        { ...at(owner.group.res, poolPath(owner)), message: `pool ${poolLabel(owner)} holds ${a.text}` },
      ],
    },
  );
}

type Claim = { s: ServiceView; a: RequestedAddress; key: string | undefined; order: number };
type Bucket = { first: Claim; firstUnkeyed?: Claim; firstByKey: Map<string, Claim>; services: Set<string> };

/** The earliest claim that cannot share with `c`: any unkeyed one, or one with another key. */
function conflicting(b: Bucket, c: Claim): Claim | undefined {
  if (c.key === undefined) return b.first;
  let found = b.firstUnkeyed;
  for (const [key, other] of b.firstByKey)
    if (key !== c.key && (!found || other.order < found.order)) found = other;
  return found;
}

function sharingText(c: Claim): string {
  return c.key === undefined ? 'no purelb.io/allow-shared-ip key' : `purelb.io/allow-shared-ip "${c.key}"`;
}

export const svcAddressSyntax = defineRule({
  id: 'svc-address-syntax',
  family,
  severity: 'error',
  title: 'purelb.io/addresses is not a comma list of IP addresses',
  rationale:
    'PureLB splits the value on commas and parses each part as an IP without trimming; one bad part (a space, a CIDR) fails the whole request and the Service gets no address.',
  remediation:
    'Write one address, or an IPv4,IPv6 pair, separated by a comma with no spaces: `192.0.2.10,2001:db8::10`.',
  evidence: [ALLOCATOR_GO, ANNOTATIONS_GO],
  check(ctx) {
    for (const s of servicesView(ctx).services) {
      if (!s.purelb || !s.request || isUnresolved(s.request.text)) continue;
      const parsed = parseAddressList(s.request.text);
      if (parsed.ok) continue;
      reportAt(
        ctx,
        s,
        s.request.path,
        `${fieldName(s)} "${s.request.text}" is not ${s.request.source === 'annotation' ? 'a comma list of IP addresses' : 'an IP address'}: ${parsed.error}.`,
        s.request.text,
      );
    }
  },
});

export const svcAddressOutsidePool = defineRule({
  id: 'svc-address-outside-pool',
  family,
  severity: 'error',
  title: "A requested address is in none of the group's pools",
  rationale:
    'PureLB allocates a requested address only from a ServiceGroup pool that holds it; an address outside every pool is refused and the Service stays <pending>.',
  remediation: 'Request an address inside a pool of the intended ServiceGroup, or widen that pool.',
  evidence: [ALLOCATOR_GO, ANNOTATIONS_GO],
  check(ctx) {
    const v = servicesView(ctx);
    // A scope without ServiceGroups has PureLB configured elsewhere.
    if (v.groupsByName.size === 0) return;
    for (const s of v.services) {
      if (!s.purelb || !s.addresses) continue;
      for (const a of s.addresses) checkOutsidePool(ctx, v, s, a);
    }
  },
});

export const svcAddressConflict = defineRule({
  id: 'svc-address-conflict',
  family,
  severity: 'error',
  title: 'Two Services request the same address without a shared key',
  rationale:
    'PureLB gives an address to a second Service only when both carry the same purelb.io/allow-shared-ip key; otherwise the second stays <pending>, and which one wins depends on the order they are applied.',
  remediation:
    'Give each Service its own address, or set the same `purelb.io/allow-shared-ip` value on both (their ports must differ).',
  evidence: [ALLOCATOR_GO, ANNOTATIONS_GO],
  check(ctx) {
    // Grouped by address in a Map: linear in the number of requests, however many Services.
    const buckets = new Map<string, Bucket>();
    let order = 0;
    for (const s of servicesView(ctx).services) {
      if (!s.purelb || !s.addresses) continue;
      const raw = s.svc.res.annotations[PURELB_ANNOTATIONS.allowShared];
      if (isUnresolved(raw)) continue;
      const key = raw === undefined || raw === '' ? undefined : raw;
      const seen = new Set<string>();
      for (const a of s.addresses) {
        const k = addressKey(a);
        if (seen.has(k)) continue;
        seen.add(k);
        const claim: Claim = { s, a, key, order: order++ };
        const bucket = buckets.get(k);
        if (!bucket) {
          const fresh: Bucket = {
            first: claim,
            firstByKey: new Map(),
            services: new Set([serviceIdentity(s)]),
          };
          if (key === undefined) fresh.firstUnkeyed = claim;
          else fresh.firstByKey.set(key, claim);
          buckets.set(k, fresh);
          continue;
        }
        // One namespace/name is one Service in the cluster (a base and its overlay), not two claims.
        if (bucket.services.has(serviceIdentity(s))) continue;
        bucket.services.add(serviceIdentity(s));
        const other = conflicting(bucket, claim);
        if (other) {
          const o = other.s;
          reportAt(
            ctx,
            s,
            s.request!.path,
            `${a.text} is also requested by Service ${svcName(o)} (${o.svc.res.file}); this Service has ${sharingText(claim)} and that one has ${sharingText(other)}, so PureLB gives the address to only one of them.`,
            a.text,
            {
              related: [
                {
                  ...at(o.svc.res, o.request!.path),
                  message: `Service ${svcName(o)} requests ${other.a.text} here`,
                },
              ],
            },
          );
        }
        if (key === undefined) bucket.firstUnkeyed ??= claim;
        else if (!bucket.firstByKey.has(key)) bucket.firstByKey.set(key, claim);
      }
    }
  },
});

export const svcLocalTrafficAggregation = defineRule({
  id: 'svc-local-traffic-aggregation',
  family,
  severity: 'warning',
  title: 'externalTrafficPolicy: Local on a routed pool aggregated wider than one address',
  rationale:
    'With Local, only nodes running an endpoint put the address on kube-lb0. With aggregation wider than /32 (/128) each such node advertises the whole block, so traffic for a Service can reach a node that has an endpoint of another Service in the block but none of this one, and is dropped.',
  remediation:
    "Set the pool's aggregation to /32 (IPv4) or /128 (IPv6), or use externalTrafficPolicy: Cluster.",
  evidence: [ALLOCATOR_GO, 'purelb internal/local/announcer_local.go'],
  check(ctx) {
    const v = servicesView(ctx);
    for (const s of v.services) {
      if (!s.purelb || s.svc.spec.externalTrafficPolicy !== 'Local') continue;
      const wide = poolsOfService(v, s).filter(
        (p) => p.valid && p.routed && p.advertised && p.family && p.advertised.prefix < bits(p.family),
      );
      const p = wide[0];
      if (!p?.advertised) continue;
      const others =
        wide.length > 1 ? ` (and ${wide.length - 1} more pool${wide.length > 2 ? 's' : ''})` : '';
      reportAt(
        ctx,
        s,
        ['spec', 'externalTrafficPolicy'],
        `externalTrafficPolicy: Local, but routed pool ${poolLabel(p)}${others} is advertised as /${p.advertised.prefix} blocks, not /${bits(p.family!)}: traffic for Service ${svcName(s)} can be sent to a node with no endpoint for it and dropped.`,
        poolLabel(p),
        {
          related: [
            {
              ...at(
                p.group.res,
                p.group.res.doc.has([...p.pool.path, 'aggregation'])
                  ? [...p.pool.path, 'aggregation']
                  : poolPath(p),
              ),
              message: `aggregation of pool ${poolLabel(p)}`,
            },
          ],
        },
      );
    }
  },
});
