// Section E: Services against the ServiceGroups PureLB allocates from.
import { isUnresolved } from '../manifests/model.ts';
import { at, OTHER_CONTROLLER_POOLS } from '../manifests/resource.ts';
import { PURELB_ANNOTATIONS } from '../manifests/service.ts';
import { defineRule, type Rule } from './registry.ts';
import {
  svcAddressConflict,
  svcAddressOutsidePool,
  svcAddressSyntax,
  svcLocalTrafficAggregation,
} from './services-address.ts';
import {
  ALLOCATOR_GO,
  ANNOTATION_PATH,
  ANNOTATIONS_GO,
  CLASSES_GO,
  hasAnnotation,
  listNames,
  PURELB_CLASSES,
  reportAt,
  serviceIdentity,
  servicesView,
  svcName,
} from './services-view.ts';

const family = 'services';

const serviceGroupPath = ANNOTATION_PATH(PURELB_ANNOTATIONS.serviceGroup);

export const svcUnknownGroup = defineRule({
  id: 'svc-unknown-group',
  family,
  severity: 'error',
  title: 'purelb.io/service-group names a ServiceGroup the scope does not define',
  rationale:
    'PureLB looks the group up by name; an unknown name fails with `unknown pool` and the Service stays <pending> with no external address.',
  remediation:
    'Fix the name (a typo, or the v1/v2 group was renamed), or add the ServiceGroup to the same cluster.',
  evidence: [ANNOTATIONS_GO, ALLOCATOR_GO],
  check(ctx) {
    const v = servicesView(ctx);
    // A scope without ServiceGroups has PureLB configured elsewhere: nothing to compare with.
    if (v.groupsByName.size === 0) return;
    for (const s of v.services) {
      if (!s.purelb || s.group === undefined || v.groupsByName.has(s.group)) continue;
      // PureLB ignores the group when an address is requested: svc-annotation-conflict says so.
      if (s.request) continue;
      reportAt(
        ctx,
        s,
        serviceGroupPath,
        `ServiceGroup "${s.group}" is not defined in this scope (defined: ${listNames(v.groupsByName.keys())}); PureLB cannot allocate an address for Service ${svcName(s)}.`,
        s.group,
      );
    }
  },
});

export const svcDefaultGroupMissing = defineRule({
  id: 'svc-default-group-missing',
  family,
  severity: 'warning',
  title: 'A PureLB Service names no group and there is no ServiceGroup named default',
  rationale:
    'Without purelb.io/service-group (or a requested address) PureLB allocates from the group named `default`; when none exists the Service stays <pending>.',
  remediation: 'Add `purelb.io/service-group: <group>` to the Service, or name one ServiceGroup `default`.',
  evidence: [ALLOCATOR_GO, ANNOTATIONS_GO],
  check(ctx) {
    const v = servicesView(ctx);
    if (v.groupsByName.size === 0 || v.groupsByName.has('default')) return;
    // purelb.io/v2 `namespaces` binds a namespace to its own default group instead.
    const bound = new Set(ctx.model.serviceGroups.flatMap((g) => g.spec.namespaces ?? []));
    for (const s of v.services) {
      if (!s.purelb || hasAnnotation(s, PURELB_ANNOTATIONS.serviceGroup) || s.request) continue;
      if (s.svc.res.namespace !== undefined && bound.has(s.svc.res.namespace)) continue;
      reportAt(
        ctx,
        s,
        ['spec', 'type'],
        `Service ${svcName(s)} has no purelb.io/service-group annotation and this scope has no ServiceGroup named "default" (defined: ${listNames(v.groupsByName.keys())}); PureLB has no pool to allocate from.`,
        'default',
      );
    }
  },
});

export const svcAnnotationConflict = defineRule({
  id: 'svc-annotation-conflict',
  family,
  severity: 'warning',
  title: 'An address (purelb.io/addresses or spec.loadBalancerIP) and purelb.io/service-group are both set',
  rationale:
    'PureLB takes a requested address from whichever group holds it and ignores purelb.io/service-group, so the annotation says something the cluster does not do. spec.loadBalancerIP is such a request when purelb.io/addresses is absent, and PureLB warns on it just as on the annotation pair.',
  remediation:
    'Drop purelb.io/service-group, or drop the address (purelb.io/addresses or spec.loadBalancerIP) and let PureLB allocate from the group.',
  evidence: [ALLOCATOR_GO, ANNOTATIONS_GO],
  check(ctx) {
    const v = servicesView(ctx);
    for (const s of v.services) {
      if (!s.purelb || !hasAnnotation(s, PURELB_ANNOTATIONS.serviceGroup) || !s.request) continue;
      const what = s.request.source === 'annotation' ? 'purelb.io/addresses' : 'spec.loadBalancerIP';
      const group = s.svc.res.annotations[PURELB_ANNOTATIONS.serviceGroup] ?? '';
      const unknown =
        s.group !== undefined && v.groupsByName.size > 0 && !v.groupsByName.has(s.group)
          ? ' (no ServiceGroup of that name exists in this scope either)'
          : '';
      reportAt(
        ctx,
        s,
        serviceGroupPath,
        `Service ${svcName(s)} sets both ${what} and purelb.io/service-group "${group}"${unknown}; PureLB's allocator uses the address and ignores the group.`,
        group,
      );
    }
  },
});

export const svcLbClass = defineRule({
  id: 'svc-lb-class',
  family,
  severity: 'warning',
  title: "loadBalancerClass is a PureLB class that does not match the ServiceGroups' version",
  rationale:
    'PureLB v1 answers only to `purelb.io/purelb` and v2 only to `purelb.io/purelbv2` (so both can run side by side); a Service with the other class is ignored and stays <pending>.',
  remediation: 'Use the class of the PureLB version that serves this cluster, or drop loadBalancerClass.',
  evidence: [CLASSES_GO],
  check(ctx) {
    const v = servicesView(ctx);
    if (v.versions.size === 0) return;
    const classOf = Object.fromEntries(Object.entries(PURELB_CLASSES).map(([c, ver]) => [ver, c]));
    for (const s of v.services) {
      const cls = s.svc.spec.loadBalancerClass;
      const version = cls === undefined ? undefined : PURELB_CLASSES[cls];
      if (!s.purelb || cls === undefined || !version || v.versions.has(version)) continue;
      const served = [...v.versions].sort();
      reportAt(
        ctx,
        s,
        ['spec', 'loadBalancerClass'],
        `loadBalancerClass "${cls}" is PureLB ${version}'s, but this scope's ServiceGroups are purelb.io/${served.join(' and purelb.io/')}; PureLB ${served.join('/')} answers only to ${served.map((x) => `"${classOf[x]}"`).join(' or ')} and ignores this Service.`,
        cls,
      );
    }
  },
});

export const svcLoadbalanceripDeprecated = defineRule({
  id: 'svc-loadbalancerip-deprecated',
  family,
  severity: 'notice',
  title: 'spec.loadBalancerIP is deprecated',
  rationale:
    'Kubernetes deprecated spec.loadBalancerIP (v1.24); PureLB reads it only when purelb.io/addresses is absent, and logs a deprecation warning.',
  remediation: 'Move the address to the `purelb.io/addresses` annotation and drop spec.loadBalancerIP.',
  evidence: [
    ALLOCATOR_GO,
    ANNOTATIONS_GO,
    'kubernetes KEP-1435 / core/v1 ServiceSpec.loadBalancerIP deprecation',
  ],
  check(ctx) {
    for (const s of servicesView(ctx).services) {
      const ip = s.svc.spec.loadBalancerIP;
      if (!s.purelb || ip === undefined || ip === '') continue;
      const ignored = hasAnnotation(s, PURELB_ANNOTATIONS.addresses)
        ? ' Here PureLB ignores it: purelb.io/addresses is set.'
        : ' Use the purelb.io/addresses annotation instead.';
      reportAt(
        ctx,
        s,
        ['spec', 'loadBalancerIP'],
        `spec.loadBalancerIP is deprecated in Kubernetes.${ignored}`,
        ip,
      );
    }
  },
});

export const svcAnnotationNotLb = defineRule({
  id: 'svc-annotation-not-lb',
  family,
  severity: 'notice',
  title: 'purelb.io annotations on a Service PureLB does not handle',
  rationale:
    "PureLB acts only on `type: LoadBalancer` Services without another controller's loadBalancerClass; annotations elsewhere do nothing and suggest the type was changed by mistake.",
  remediation:
    'Set `type: LoadBalancer` if the Service should get an external address, else drop the annotations.',
  evidence: [ANNOTATIONS_GO, CLASSES_GO],
  check(ctx) {
    const v = servicesView(ctx);
    // A document without spec.type that shares its name with a LoadBalancer is a patch or overlay of it.
    const loadBalancers = new Set(v.services.filter((s) => s.purelb).map(serviceIdentity));
    for (const s of v.services) {
      const spec = s.svc.spec;
      if (s.purelb || isUnresolved(spec.type) || isUnresolved(spec.loadBalancerClass)) continue;
      if (spec.type === undefined && loadBalancers.has(serviceIdentity(s))) continue;
      const keys = Object.keys(s.svc.res.annotations).filter((k) => k.startsWith('purelb.io/'));
      const first = keys[0];
      if (first === undefined) continue;
      const why =
        spec.type === 'LoadBalancer'
          ? `its loadBalancerClass "${spec.loadBalancerClass}" belongs to another controller`
          : `it is of type ${spec.type ?? 'ClusterIP'}, not LoadBalancer`;
      reportAt(
        ctx,
        s,
        ANNOTATION_PATH(first),
        `Service ${svcName(s)} carries ${keys.join(', ')} but ${why}; PureLB ignores it.`,
        [...keys].sort().join(','),
        { part: 'key' },
      );
    }
  },
});

export const svcLbControllerRace = defineRule({
  id: 'svc-lb-controller-race',
  family,
  severity: 'warning',
  title:
    'PureLB and another LoadBalancer controller run in one scope, and a LoadBalancer Service has no loadBalancerClass',
  rationale:
    "PureLB's allocator takes every LoadBalancer Service without a loadBalancerClass; so does MetalLB (unless started with --lb-class) and Cilium LB-IPAM (every Service a pool's serviceSelector matches, all of them without one). Both controllers then write an address into the Service's status, and which one wins can change at the next restart. Calico's own LoadBalancer IPAM is lb-calico-lb-ipam-unscoped.",
  remediation:
    'Give the Service the loadBalancerClass of the controller meant to serve it (purelb.io/purelbv2 for PureLB v2, purelb.io/purelb for v1), or run one LoadBalancer controller per cluster.',
  evidence: [
    CLASSES_GO,
    'metallb.io IPAddressPool; MetalLB --lb-class',
    'docs.cilium.io network/lb-ipam (CiliumLoadBalancerIPPool, serviceSelector)',
  ],
  check(ctx) {
    if (ctx.model.serviceGroups.length === 0) return;
    const others = ctx.model.resources.filter((r) => OTHER_CONTROLLER_POOLS[r.kind] !== undefined);
    const first = others[0];
    if (!first) return;
    const names = [...new Set(others.map((r) => OTHER_CONTROLLER_POOLS[r.kind]!))].sort();
    const related = others.map((r) => ({
      ...at(r, ['metadata', 'name']),
      message: `${OTHER_CONTROLLER_POOLS[r.kind]} ${r.kind} ${r.name}`,
    }));
    for (const s of servicesView(ctx).services) {
      const spec = s.svc.spec;
      if (spec.type !== 'LoadBalancer' || spec.loadBalancerClass !== undefined) continue;
      const meant = s.owner ? ` (its annotations are for ${s.owner.replace(/ \(.*$/, '')})` : '';
      reportAt(
        ctx,
        s,
        ['spec', 'type'],
        `LoadBalancer Service ${svcName(s)} has no loadBalancerClass${meant}, and this scope runs both PureLB and ${names.join(' and ')} (${first.kind} ${first.name}): both will assign it an address.`,
        names.join(','),
        { related },
      );
    }
  },
});

/** Catalog order: docs/rules.md is generated from the registry in this order. */
export const serviceRules: readonly Rule[] = [
  svcUnknownGroup,
  svcDefaultGroupMissing,
  svcAddressSyntax,
  svcAddressOutsidePool,
  svcAddressConflict,
  svcAnnotationConflict,
  svcLbControllerRace,
  svcLbClass,
  svcLocalTrafficAggregation,
  svcLoadbalanceripDeprecated,
  svcAnnotationNotLb,
];
