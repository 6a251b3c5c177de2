// Section C, IPPools on their own: what Calico's validator (or IPAM) rejects in one pool or a pair.
import { editFix, set } from '../fixes/build.ts';
import type { IpPool, OperatorIpPool } from '../manifests/calico.ts';
import type { Path } from '../manifests/document.ts';
import { isUnresolved } from '../manifests/model.ts';
import { at, identity, type Resource } from '../manifests/resource.ts';
import { overlappingPairs } from '../net/intervals.ts';
import { type Cidr, overlaps, parseCidr } from '../net/ip.ts';
import { caseHint, label, parseCalicoCidr, reportAt } from './calico-values.ts';
import { type CheckContext, defineRule } from './registry.ts';

const family = 'calico';
const VALIDATOR = 'calico libcalico-go/lib/validator/v3/validator.go';
const IPPOOL_API = 'calico api/pkg/apis/projectcalico/v3/ippool.go';

export type ParsedPool = { pool: IpPool; text: string; cidr?: Cidr };

/** Every IPPool with its CIDR parsed once per scope; unresolved `${VAR}` CIDRs are left out. */
export const parsedPools = (ctx: CheckContext): ParsedPool[] =>
  ctx.memo('calico.parsedPools', () =>
    ctx.model.ipPools
      .filter((pool) => !isUnresolved(pool.spec.cidr))
      .map((pool) => {
        const cidr = parseCalicoCidr(pool.spec.cidr);
        return cidr ? { pool, text: pool.spec.cidr, cidr } : { pool, text: pool.spec.cidr };
      }),
  );

/** Pools whose CIDR parsed. */
const withCidr = (ctx: CheckContext) => parsedPools(ctx).filter((p): p is Required<ParsedPool> => !!p.cidr);

const MODES = ['Always', 'CrossSubnet', 'Never'] as const;
const isEnabledMode = (m: string | undefined): boolean => m === 'Always' || m === 'CrossSubnet';

const LINK_LOCAL = [parseCidr('169.254.0.0/16')!, parseCidr('fe80::/10')!];

const USES = ['Workload', 'Tunnel', 'LoadBalancer'] as const;

function checkCidr(ctx: CheckContext): void {
  for (const { pool, text, cidr } of parsedPools(ctx)) {
    const res = pool.res;
    const path = ['spec', 'cidr'];
    if (!cidr) {
      const why = text === '' ? 'is empty' : `"${text}" is not a CIDR`;
      ctx.report(
        reportAt(
          res,
          path,
          `${label(res)}: cidr ${why}; Calico rejects the pool (IPPool CIDR must be a valid subnet).`,
          text,
        ),
      );
    } else if (!cidr.canonical) {
      const fix = editFix(`Set cidr to the network address ${cidr.network}`, res, set(path, cidr.network));
      ctx.report({
        ...reportAt(
          res,
          path,
          `${label(res)}: cidr ${text} has host bits set; Calico rejects it (IP pool CIDR is not strictly masked). Use ${cidr.network}.`,
          text,
        ),
        fix,
      });
    }
  }
}

function checkOverlap(ctx: CheckContext): void {
  const entries = withCidr(ctx).map((p) => ({ iv: p.cidr, value: p }));
  for (const [a, b] of overlappingPairs(entries)) {
    // The same pool written twice (a base and an overlay) is one pool to Calico.
    if (identity(a.pool.res) === identity(b.pool.res)) continue;
    const how =
      a.cidr.start === b.cidr.start && a.cidr.end === b.cidr.end
        ? 'has the same range as'
        : a.cidr.start <= b.cidr.start && b.cidr.end <= a.cidr.end
          ? 'lies inside'
          : 'overlaps';
    ctx.report({
      ...reportAt(
        b.pool.res,
        ['spec', 'cidr'],
        `${label(b.pool.res)} (${b.text}) ${how} ${label(a.pool.res)} (${a.text}): Calico rejects an overlapping pool on create, but raw crd.projectcalico.org/v1 manifests skip that check, and IPAM can then hand out one address twice.`,
        [a.text, b.text].join(' '),
      ),
      related: [{ ...at(a.pool.res, ['spec', 'cidr']), message: `${label(a.pool.res)} (${a.text})` }],
    });
  }
}

function checkBlockSize(ctx: CheckContext): void {
  for (const { pool, text, cidr } of withCidr(ctx)) {
    const res = pool.res;
    const [lo, hi, dflt] = cidr.family === 4 ? [20, 32, 26] : [116, 128, 122];
    const bs = pool.spec.blockSize;
    if (bs !== undefined && (bs < lo || bs > hi)) {
      ctx.report(
        reportAt(
          res,
          ['spec', 'blockSize'],
          `${label(res)}: blockSize ${bs} is outside ${lo}..${hi} for an IPv${cidr.family} pool; Calico rejects it.`,
          String(bs),
        ),
      );
      continue;
    }
    const block = bs ?? dflt;
    if (pool.spec.disabled !== true && cidr.prefix > block) {
      ctx.report(
        reportAt(
          res,
          ['spec', 'cidr'],
          `${label(res)}: the enabled pool ${text} is smaller than its /${block} block${bs === undefined ? ' (the default)' : ''}; Calico IPAM rejects it. Set blockSize: ${cidr.prefix} or disabled: true.`,
          `${text} /${block}`,
        ),
      );
    }
  }
}

function checkEncapsulation(ctx: CheckContext): void {
  for (const { pool, cidr } of parsedPools(ctx)) {
    const res = pool.res;
    const { ipipMode, vxlanMode } = pool.spec;
    let valid = true;
    for (const [key, mode] of [
      ['ipipMode', ipipMode],
      ['vxlanMode', vxlanMode],
    ] as const) {
      if (mode === undefined || isUnresolved(mode) || (MODES as readonly string[]).includes(mode)) continue;
      valid = false;
      ctx.report(
        reportAt(
          res,
          ['spec', key],
          `${label(res)}: ${key} "${mode}" is not one of ${MODES.join(', ')}${caseHint(mode, MODES)}; Calico rejects it.`,
          mode,
        ),
      );
    }
    if (!valid) continue;
    if (isEnabledMode(ipipMode) && isEnabledMode(vxlanMode)) {
      ctx.report(
        reportAt(
          res,
          ['spec', 'ipipMode'],
          `${label(res)}: ipipMode ${ipipMode} and vxlanMode ${vxlanMode} are both enabled; a pool takes one encapsulation and Calico rejects both.`,
          `${ipipMode}+${vxlanMode}`,
        ),
      );
    } else if (cidr?.family === 6 && ipipMode !== undefined && ipipMode !== 'Never') {
      ctx.report(
        reportAt(
          res,
          ['spec', 'ipipMode'],
          `${label(res)}: ipipMode ${ipipMode} on an IPv6 pool; IPIP carries IPv4 only and Calico rejects it. Use Never (or vxlanMode).`,
          ipipMode,
        ),
      );
    }
  }
}

function checkLinkLocal(ctx: CheckContext): void {
  for (const { pool, text, cidr } of withCidr(ctx)) {
    const ll = LINK_LOCAL.find((l) => overlaps(l, cidr));
    if (!ll) continue;
    ctx.report(
      reportAt(
        pool.res,
        ['spec', 'cidr'],
        `${label(pool.res)}: ${text} overlaps the link-local range ${ll.network}; Calico rejects it (those addresses never leave a link).`,
        text,
      ),
    );
  }
}

type PoolFields = {
  allowedUses?: string[] | undefined;
  disableBGPExport?: boolean | undefined;
  nodeSelector?: string | undefined;
};

/** The checks IPPools and operator ipPools share; `encapsulated` lists the fields that enable one. */
function checkUses(
  ctx: CheckContext,
  res: Resource,
  base: Path,
  fields: PoolFields,
  encapsulated: { key: string; value: string }[],
): void {
  const uses = fields.allowedUses ?? [];
  const lb = uses.includes('LoadBalancer');
  const where = `${label(res)}${base.length > 2 ? ` ${base.slice(1).join('.')}` : ''}`;
  uses.forEach((u, i) => {
    if (isUnresolved(u)) return;
    const path = [...base, 'allowedUses', i];
    if (!(USES as readonly string[]).includes(u)) {
      ctx.report(
        reportAt(
          res,
          path,
          `${where}: unknown allowedUses value "${u}"${caseHint(u, USES)}; Calico rejects it.`,
          u,
        ),
      );
    } else if (lb && u !== 'LoadBalancer') {
      ctx.report(
        reportAt(
          res,
          path,
          `${where}: LoadBalancer cannot be combined with ${u}; Calico rejects the pool. Keep LoadBalancer pools separate from pod pools.`,
          u,
        ),
      );
    }
  });
  if (!lb) return;
  if (fields.disableBGPExport === true) {
    ctx.report(
      reportAt(
        res,
        [...base, 'disableBGPExport'],
        `${where}: a LoadBalancer pool with disableBGPExport: true; Calico rejects it (its addresses must be advertised).`,
        'disableBGPExport',
      ),
    );
  }
  for (const e of encapsulated) {
    ctx.report(
      reportAt(
        res,
        [...base, e.key],
        `${where}: a LoadBalancer pool with ${e.key}: ${e.value}; Calico rejects encapsulation on LoadBalancer pools.`,
        e.value,
      ),
    );
  }
  const sel = fields.nodeSelector;
  if (sel !== undefined && sel !== '' && sel !== 'all()' && !isUnresolved(sel)) {
    ctx.report(
      reportAt(
        res,
        [...base, 'nodeSelector'],
        `${where}: a LoadBalancer pool with nodeSelector "${sel}"; Calico requires all().`,
        sel,
      ),
    );
  }
}

function checkAllowedUses(ctx: CheckContext): void {
  for (const pool of ctx.model.ipPools) {
    const { ipipMode, vxlanMode } = pool.spec;
    const enc = [
      { key: 'ipipMode', value: ipipMode },
      { key: 'vxlanMode', value: vxlanMode },
    ].filter((e): e is { key: string; value: string } => isEnabledMode(e.value));
    checkUses(ctx, pool.res, ['spec'], pool.spec, enc);
  }
  for (const inst of ctx.model.installations) {
    inst.spec.calicoNetwork?.ipPools?.forEach((p: OperatorIpPool, i) => {
      const e = p.encapsulation;
      const enc =
        e !== undefined && e !== 'None' && !isUnresolved(e) ? [{ key: 'encapsulation', value: e }] : [];
      checkUses(ctx, inst.res, ['spec', 'calicoNetwork', 'ipPools', i], p, enc);
    });
  }
}

export const ippoolCidr = defineRule({
  id: 'ippool-cidr',
  family,
  severity: 'error',
  title: 'IPPool cidr is invalid or not strictly masked',
  rationale:
    'Calico rejects a pool whose CIDR does not parse or has host bits set ("IP pool CIDR is not strictly masked"); through raw CRDs it slips in and IPAM and the BGP export filter then disagree about the range.',
  remediation: 'Write the network address of the prefix (10.0.0.0/24, not 10.0.0.5/24).',
  evidence: [VALIDATOR, IPPOOL_API],
  fix: 'rewrite cidr to the network address',
  check: checkCidr,
});

export const ippoolOverlap = defineRule({
  id: 'ippool-overlap',
  family,
  severity: 'error',
  title: 'Two IPPools overlap',
  rationale:
    'Calico rejects an overlapping pool on create, but crd.projectcalico.org/v1 manifests applied directly (before 3.32) skip that check; IPAM can then allocate one address from both pools, and export decisions depend on which pool BIRD matches.',
  remediation: 'Shrink or remove one of the pools so their CIDRs are disjoint.',
  evidence: ['calico libcalico-go/lib/clientv3/ippool.go', IPPOOL_API],
  check: checkOverlap,
});

export const ippoolBlockSize = defineRule({
  id: 'ippool-block-size',
  family,
  severity: 'error',
  title: 'IPPool blockSize out of range, or an enabled pool smaller than its block',
  rationale:
    'Calico accepts blockSize 20..32 for IPv4 and 116..128 for IPv6, and IPAM needs an enabled pool to hold at least one block; otherwise the pool is rejected.',
  remediation:
    'Use a blockSize within range and no shorter than the pool prefix, or mark a pool that is only for routing disabled: true.',
  evidence: ['calico libcalico-go/lib/clientv3/ippool.go', VALIDATOR],
  check: checkBlockSize,
});

export const ippoolEncapsulation = defineRule({
  id: 'ippool-encapsulation',
  family,
  severity: 'error',
  title: 'IPPool encapsulation is contradictory or impossible',
  rationale:
    'A pool takes one encapsulation: ipipMode and vxlanMode cannot both be enabled, IPIP cannot carry IPv6, and modes are Always, CrossSubnet or Never exactly. Calico rejects the pool otherwise.',
  remediation: 'Enable one of ipipMode/vxlanMode (the other Never); use vxlanMode or Never on IPv6 pools.',
  evidence: [VALIDATOR, IPPOOL_API],
  check: checkEncapsulation,
});

export const ippoolLinkLocal = defineRule({
  id: 'ippool-link-local',
  family,
  severity: 'error',
  title: 'IPPool overlaps the link-local range',
  rationale:
    'Addresses in 169.254.0.0/16 and fe80::/10 are never routed off a link; Calico rejects pools that overlap them.',
  remediation: 'Choose a pool CIDR outside 169.254.0.0/16 and fe80::/10.',
  evidence: [VALIDATOR],
  check: checkLinkLocal,
});

export const ippoolAllowedUses = defineRule({
  id: 'ippool-allowed-uses',
  family,
  severity: 'error',
  title: 'IPPool allowedUses combination Calico rejects',
  rationale:
    'A LoadBalancer pool is for Calico LB IPAM only: it cannot also be a Workload/Tunnel pool, must be exported over BGP, must not be encapsulated and must select all() nodes. Calico rejects the pool otherwise.',
  remediation:
    'Split LoadBalancer and pod pools; on the LoadBalancer pool drop disableBGPExport, set ipipMode/vxlanMode Never (operator: encapsulation None) and nodeSelector all().',
  evidence: [VALIDATOR, IPPOOL_API, 'tigera/operator api/v1/installation_types.go'],
  check: checkAllowedUses,
});
