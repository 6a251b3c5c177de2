// PureLB resources: ServiceGroup (purelb.io/v1 and v2, every pool form) and LBNodeAgent.
import { z } from 'zod';
import type { Path } from './document.ts';
import type { Resource } from './resource.ts';

const addressPool = z
  .object({ subnet: z.string().optional(), pool: z.string().optional(), aggregation: z.string().optional() })
  .loose();

const poolHolder = {
  v4pool: addressPool.optional(),
  v6pool: addressPool.optional(),
  v4pools: z.array(addressPool).optional(),
  v6pools: z.array(addressPool).optional(),
  multiPool: z.boolean().optional(),
  balancePools: z.boolean().optional(),
  skipIPv6DAD: z.boolean().optional(),
};

const metadata = z.object({ name: z.string({ error: 'metadata.name is required' }) }).loose();

/** spec.local / spec.remote: the pool lists, plus v1's legacy single pool (an sg-shape error in v2). */
const modeSpec = z.object({ ...poolHolder, ...addressPool.shape }).loose();

export const serviceGroupSchema = z
  .object({
    metadata,
    spec: z
      .object({
        local: modeSpec.optional(),
        remote: modeSpec.optional(),
        netbox: z.object({}).loose().optional(),
        external: z.object({ announce: z.string().optional() }).loose().optional(),
        namespaces: z.array(z.string()).optional(),
        enforceNamespaces: z.boolean().optional(),
        namespaceDefault: z.boolean().optional(),
      })
      .loose(),
  })
  .loose();

export const lbNodeAgentSchema = z
  .object({
    metadata,
    spec: z
      .object({
        local: z
          .object({
            // v1 names
            localint: z.string().optional(),
            extlbint: z.string().optional(),
            // v2 names
            localInterface: z.string().optional(),
            dummyInterface: z.string().optional(),
            sendgarp: z.boolean().optional(),
          })
          .loose()
          .optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

export type PoolForm = 'legacy' | 'v4pool' | 'v6pool' | 'v4pools' | 'v6pools';
export type GroupMode = 'local' | 'remote' | 'netbox' | 'external';
export type PureLbVersion = 'v1' | 'v2';

/** One `{subnet, pool, aggregation}` triple of a ServiceGroup. */
export type SgPool = {
  group: ServiceGroup;
  form: PoolForm;
  /** Path of the object holding subnet/pool/aggregation (`spec.local` for the legacy form). */
  path: Path;
  subnet?: string;
  pool?: string;
  aggregation?: string;
};

export type ServiceGroup = {
  res: Resource;
  version: PureLbVersion;
  /** Every mode key present under spec (more than one is an `sg-shape` error). */
  modes: GroupMode[];
  /** The mode PureLB would use (the first present), undefined when none. */
  mode?: GroupMode;
  pools: SgPool[];
  spec: z.infer<typeof serviceGroupSchema>['spec'];
};

export type LbNodeAgent = {
  res: Resource;
  /** The dummy interface routed addresses go on; PureLB's default is kube-lb0. */
  dummyInterface: string;
  dummyInterfaceSet: boolean;
};

export const DEFAULT_DUMMY_INTERFACE = 'kube-lb0';

const MODES: readonly GroupMode[] = ['local', 'remote', 'netbox', 'external'];

export function toServiceGroup(
  res: Resource,
  data: z.infer<typeof serviceGroupSchema>,
): ServiceGroup | undefined {
  const version = res.version === 'v1' || res.version === 'v2' ? res.version : undefined;
  if (!version) return undefined;
  const spec = data.spec;
  const modes = MODES.filter((m) => spec[m] !== undefined);
  const group: ServiceGroup = { res, version, modes, pools: [], spec };
  if (modes[0]) group.mode = modes[0];
  for (const mode of ['local', 'remote'] as const) {
    const holder = spec[mode];
    if (!holder) continue;
    const base: Path = ['spec', mode];
    const push = (form: PoolForm, path: Path, p: z.infer<typeof addressPool>) => {
      const pool: SgPool = { group, form, path };
      if (p.subnet !== undefined) pool.subnet = p.subnet;
      if (p.pool !== undefined) pool.pool = p.pool;
      if (p.aggregation !== undefined) pool.aggregation = p.aggregation;
      group.pools.push(pool);
    };
    if (holder.subnet !== undefined || holder.pool !== undefined) push('legacy', base, holder);
    if (holder.v4pool) push('v4pool', [...base, 'v4pool'], holder.v4pool);
    if (holder.v6pool) push('v6pool', [...base, 'v6pool'], holder.v6pool);
    for (const [i, p] of (holder.v4pools ?? []).entries()) push('v4pools', [...base, 'v4pools', i], p);
    for (const [i, p] of (holder.v6pools ?? []).entries()) push('v6pools', [...base, 'v6pools', i], p);
  }
  return group;
}

export function toLbNodeAgent(res: Resource, data: z.infer<typeof lbNodeAgentSchema>): LbNodeAgent {
  const local = data.spec?.local;
  const named = res.version === 'v1' ? local?.extlbint : local?.dummyInterface;
  return { res, dummyInterface: named ?? DEFAULT_DUMMY_INTERFACE, dummyInterfaceSet: named !== undefined };
}
