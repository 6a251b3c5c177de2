// Resources -> typed views, one list per kind. Shape problems become findings here, so rules
// only ever see resources whose fields have the types they expect.
import type { InputRuleId } from '../checks/input.ts';
import type { Report } from '../findings.ts';
import {
  type BgpConfiguration,
  type BgpFilter,
  type BgpPeer,
  bgpConfigurationSchema,
  bgpFilterSchema,
  bgpPeerSchema,
  type Installation,
  type IpPool,
  installationSchema,
  ipPoolSchema,
} from './calico.ts';
import {
  type LbNodeAgent,
  lbNodeAgentSchema,
  type ServiceGroup,
  serviceGroupSchema,
  toLbNodeAgent,
  toServiceGroup,
} from './purelb.ts';
import { at, type Resource, refOf } from './resource.ts';
import { type Service, serviceSchema } from './service.ts';
import { checkShape } from './shape.ts';

export type Model = {
  resources: Resource[];
  serviceGroups: ServiceGroup[];
  lbNodeAgents: LbNodeAgent[];
  services: Service[];
  ipPools: IpPool[];
  bgpConfigurations: BgpConfiguration[];
  bgpPeers: BgpPeer[];
  bgpFilters: BgpFilter[];
  installations: Installation[];
};

export const emptyModel = (): Model => ({
  resources: [],
  serviceGroups: [],
  lbNodeAgents: [],
  services: [],
  ipPools: [],
  bgpConfigurations: [],
  bgpPeers: [],
  bgpFilters: [],
  installations: [],
});

const PURELB_VERSIONS = new Set(['v1', 'v2']);

export function buildModel(resources: readonly Resource[], reports: Report<InputRuleId>[]): Model {
  const m = emptyModel();
  for (const r of resources) {
    m.resources.push(r);
    switch (r.kind) {
      case 'ServiceGroup': {
        if (!PURELB_VERSIONS.has(r.version)) {
          reports.push({
            ...at(r, ['apiVersion']),
            rule: 'resource-shape',
            message: `Unknown PureLB apiVersion ${r.apiVersion}: PureLB serves purelb.io/v1 and purelb.io/v2.`,
            resource: refOf(r),
            value: r.apiVersion,
          });
          break;
        }
        const data = checkShape(r, serviceGroupSchema, reports);
        const sg = data && toServiceGroup(r, data);
        if (sg) m.serviceGroups.push(sg);
        break;
      }
      case 'LBNodeAgent': {
        const data = checkShape(r, lbNodeAgentSchema, reports);
        if (data) m.lbNodeAgents.push(toLbNodeAgent(r, data));
        break;
      }
      case 'Service': {
        const data = checkShape(r, serviceSchema, reports);
        if (data) m.services.push({ res: r, spec: data.spec ?? {} });
        break;
      }
      case 'IPPool': {
        const data = checkShape(r, ipPoolSchema, reports);
        if (data) m.ipPools.push({ res: r, spec: data.spec });
        break;
      }
      case 'BGPConfiguration': {
        const data = checkShape(r, bgpConfigurationSchema, reports);
        if (data) m.bgpConfigurations.push({ res: r, spec: data.spec ?? {} });
        break;
      }
      case 'BGPPeer': {
        const data = checkShape(r, bgpPeerSchema, reports);
        if (data) m.bgpPeers.push({ res: r, spec: data.spec ?? {} });
        break;
      }
      case 'BGPFilter': {
        const data = checkShape(r, bgpFilterSchema, reports);
        if (data) m.bgpFilters.push({ res: r, spec: data.spec ?? {} });
        break;
      }
      case 'Installation': {
        const data = checkShape(r, installationSchema, reports);
        if (data) m.installations.push({ res: r, spec: data.spec ?? {} });
        break;
      }
    }
  }
  return m;
}

/** A Flux `${VAR}` (or similar) placeholder left in a value: rules skip such values. */
export const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:[:=-][^}]*)?\}/g;
export const isUnresolved = (v: unknown): boolean => typeof v === 'string' && v.includes('${');

/** Whether the scope manages Calico (section D rules need it). */
export const managesCalico = (m: Model): boolean =>
  m.ipPools.length +
    m.bgpConfigurations.length +
    m.bgpPeers.length +
    m.bgpFilters.length +
    m.installations.length >
  0;
