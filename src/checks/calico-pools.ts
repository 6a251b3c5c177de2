// The one table of Calico pools in a scope: IPPool resources and the operator Installation's
// ipPools (the operator turns each into an IPPool). Raw text, the parsed CIDR as the owner reads
// it, and the canonical one; every Calico pool rule, the advertisement view and the PureLB
// routed guess read this table, so they cannot disagree about which pools exist.
import type { Path } from '../manifests/document.ts';
import { isUnresolved, type Model } from '../manifests/model.ts';
import type { Resource } from '../manifests/resource.ts';
import { type Cidr, type Family, parseCidr } from '../net/ip.ts';
import { parseCalicoCidr } from './calico-values.ts';

export type CalicoPoolOrigin = 'ippool' | 'operator';

export type CalicoPoolRow = {
  origin: CalicoPoolOrigin;
  res: Resource;
  /** Path of the object holding the pool's fields (`spec` or `spec.calicoNetwork.ipPools.N`). */
  path: Path;
  /** "IPPool pods" or "Installation default calicoNetwork.ipPools.1", for messages. */
  where: string;
  /** The cidr as written; undefined when missing or not a string. */
  text: string | undefined;
  /** The cidr is still a Flux `${VAR}`: nothing can be judged from it. */
  unresolved: boolean;
  /**
   * The cidr as its reader parses it, host bits kept in `address`: Calico's ParseCIDROrIP for an
   * IPPool (a bare address is its host route), Go's net.ParseCIDR for the operator (no bare address).
   */
  parsed?: Cidr;
  /** `parsed` when it is strictly masked: the only form BIRD and IPAM ever see. */
  cidr?: Cidr;
  /** blockSize as written, when it is a number. */
  blockSize?: number;
  /** New addresses may come from it (IPPool: not `disabled`; operator: not `disableNewAllocations`). */
  enabled: boolean;
  exportDisabled: boolean;
  /** Pods (or tunnel addresses) can be given addresses from it. */
  allocatable: boolean;
  /** `allowedUses` names LoadBalancer: Calico's own LB IPAM hands these out. */
  loadBalancer: boolean;
  /** The pool's own fields (IPPool spec or the operator ipPool entry), for rules that need one more. */
  fields: Record<string, unknown>;
};

const WORKLOAD_USES = new Set(['Workload', 'Tunnel']);

/** blockSize when none is written: Calico's and the operator's default (tigera/operator defaults.go). */
export const defaultBlockSize = (f: Family): number => (f === 4 ? 26 : 122);

/** The blockSize range Calico and the operator accept. */
export const blockSizeRange = (f: Family): [number, number] => (f === 4 ? [20, 32] : [116, 128]);

const allocatable = (enabled: boolean, uses: readonly string[] | undefined): boolean =>
  enabled && (uses === undefined || uses.some((u) => WORKLOAD_USES.has(u)));

function parsedFields(
  text: string | undefined,
  origin: CalicoPoolOrigin,
): Pick<CalicoPoolRow, 'parsed' | 'cidr'> {
  if (text === undefined || isUnresolved(text)) return {};
  const parsed = origin === 'ippool' ? parseCalicoCidr(text) : parseCidr(text);
  if (!parsed) return {};
  return parsed.canonical ? { parsed, cidr: parsed } : { parsed };
}

export function calicoPoolTable(m: Model): CalicoPoolRow[] {
  const out: CalicoPoolRow[] = [];
  for (const p of m.ipPools) {
    const text = typeof p.spec.cidr === 'string' ? p.spec.cidr : undefined;
    const enabled = p.spec.disabled !== true;
    out.push({
      origin: 'ippool',
      res: p.res,
      path: ['spec'],
      where: `IPPool ${p.res.name || '(unnamed)'}`,
      text,
      unresolved: text !== undefined && isUnresolved(text),
      ...parsedFields(text, 'ippool'),
      ...(typeof p.spec.blockSize === 'number' && { blockSize: p.spec.blockSize }),
      enabled,
      exportDisabled: p.spec.disableBGPExport === true,
      allocatable: allocatable(enabled, p.spec.allowedUses),
      loadBalancer: p.spec.allowedUses?.includes('LoadBalancer') ?? false,
      fields: p.spec,
    });
  }
  for (const inst of m.installations) {
    inst.spec.calicoNetwork?.ipPools?.forEach((p, i) => {
      const text = typeof p.cidr === 'string' ? p.cidr : undefined;
      const enabled = p.disableNewAllocations !== true;
      out.push({
        origin: 'operator',
        res: inst.res,
        path: ['spec', 'calicoNetwork', 'ipPools', i],
        where: `Installation ${inst.res.name || '(unnamed)'} calicoNetwork.ipPools.${i}`,
        text,
        unresolved: text !== undefined && isUnresolved(text),
        ...parsedFields(text, 'operator'),
        ...(typeof p.blockSize === 'number' && { blockSize: p.blockSize }),
        enabled,
        exportDisabled: p.disableBGPExport === true,
        allocatable: allocatable(enabled, p.allowedUses),
        loadBalancer: p.allowedUses?.includes('LoadBalancer') ?? false,
        fields: p,
      });
    });
  }
  return out;
}

/** The scope's table, built once per scope. */
export const calicoPoolsOf = (ctx: {
  model: Model;
  memo<T>(key: string, compute: () => T): T;
}): CalicoPoolRow[] => ctx.memo('calico.pools', () => calicoPoolTable(ctx.model));
