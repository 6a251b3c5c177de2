// Section C, Calico pools on their own (IPPool resources and operator ipPools, from the one pool
// table): what Calico's validator, IPAM or the operator rejects in one pool or a pair.
import { editFix, set } from '../fixes/build.ts';
import type { OperatorIpPool } from '../manifests/calico.ts';
import type { Path } from '../manifests/document.ts';
import { isUnresolved } from '../manifests/model.ts';
import { at, identity, type Resource } from '../manifests/resource.ts';
import { overlappingPairs } from '../net/intervals.ts';
import { type Cidr, overlaps, parseCidr } from '../net/ip.ts';
import { blockSizeRange, type CalicoPoolRow, calicoPoolsOf, defaultBlockSize } from './calico-pools.ts';
import { caseHint, label, parseCalicoCidr, reportAt } from './calico-values.ts';
import { type CheckContext, defineRule } from './registry.ts';

const family = 'calico';
const VALIDATOR = 'calico libcalico-go/lib/validator/v3/validator.go';
const IPPOOL_API = 'calico api/pkg/apis/projectcalico/v3/ippool.go';

/** Rows whose CIDR parsed (host bits allowed: ippool-cidr reports those, the range is still clear). */
const withCidr = (ctx: CheckContext) =>
  calicoPoolsOf(ctx).filter((r): r is CalicoPoolRow & { parsed: Cidr } => r.parsed !== undefined);

const MODES = ['Always', 'CrossSubnet', 'Never'] as const;
const isEnabledMode = (m: string | undefined): boolean => m === 'Always' || m === 'CrossSubnet';

const LINK_LOCAL = [parseCidr('169.254.0.0/16')!, parseCidr('fe80::/10')!];

const USES = ['Workload', 'Tunnel', 'LoadBalancer'] as const;

/** Who refuses a bad pool: Calico's validator for an IPPool, the operator for its own ipPools. */
const refuser = (r: CalicoPoolRow): string =>
  r.origin === 'ippool' ? "Calico's validator rejects the pool" : 'the operator rejects the Installation';

const cidrReport = (r: CalicoPoolRow, message: string, value: string) =>
  reportAt(r.res, [...r.path, 'cidr'], message, value);

function checkCidr(ctx: CheckContext): void {
  for (const r of calicoPoolsOf(ctx)) {
    if (r.unresolved || r.text === undefined) continue;
    const text = r.text;
    if (!r.parsed) {
      const why = text === '' ? 'is empty' : `"${text}" is not a CIDR`;
      const bare =
        r.origin === 'operator' && parseCalicoCidr(text) ? ' (the operator needs a prefix length)' : '';
      ctx.report(
        cidrReport(
          r,
          r.origin === 'ippool'
            ? `${r.where}: cidr ${why}; Calico rejects the pool (IPPool CIDR must be a valid subnet).`
            : `${r.where}: cidr ${why}${bare}; the operator rejects the Installation (IP pool CIDR is invalid) and creates no pool.`,
          text,
        ),
      );
    } else if (!r.cidr) {
      const network = r.parsed.network;
      const path = [...r.path, 'cidr'];
      const fix = editFix(`Set cidr to the network address ${network}`, r.res, set(path, network));
      ctx.report({
        ...cidrReport(
          r,
          r.origin === 'ippool'
            ? `${r.where}: cidr ${text} has host bits set; Calico rejects it (IP pool CIDR is not strictly masked). Use ${network}.`
            : `${r.where}: cidr ${text} has host bits set; the operator passes it on as written and Calico's validator rejects the IPPool (IP pool CIDR is not strictly masked). Use ${network}.`,
          text,
        ),
        fix,
      });
    }
  }
}

function checkOverlap(ctx: CheckContext): void {
  const entries = withCidr(ctx).map((r) => ({ iv: r.parsed, value: r }));
  for (const [a, b] of overlappingPairs(entries)) {
    // The same pool written twice (a base and an overlay) is one pool to Calico.
    if (identity(a.res) === identity(b.res) && a.path.join('.') === b.path.join('.')) continue;
    const same = a.parsed.start === b.parsed.start && a.parsed.end === b.parsed.end;
    // The operator adopts an existing IPPool of the same CIDR instead of creating a second one.
    if (same && a.origin !== b.origin) continue;
    const how = same
      ? 'has the same range as'
      : a.parsed.start <= b.parsed.start && b.parsed.end <= a.parsed.end
        ? 'lies inside'
        : 'overlaps';
    const consequence =
      a.origin === 'operator' && b.origin === 'operator' && same && identity(a.res) === identity(b.res)
        ? 'the operator rejects the Installation (IP pool is specified more than once)'
        : 'Calico rejects an overlapping pool on create, but raw crd.projectcalico.org/v1 manifests skip that check, and IPAM can then hand out one address twice';
    ctx.report({
      ...cidrReport(
        b,
        `${b.where} (${b.text}) ${how} ${a.where} (${a.text}): ${consequence}.`,
        [a.text, b.text].join(' '),
      ),
      related: [{ ...at(a.res, [...a.path, 'cidr']), message: `${a.where} (${a.text})` }],
    });
  }
}

function checkBlockSize(ctx: CheckContext): void {
  for (const r of withCidr(ctx)) {
    const { family, prefix } = r.parsed;
    const [lo, hi] = blockSizeRange(family);
    const bs = r.blockSize;
    if (bs !== undefined && (bs < lo || bs > hi)) {
      ctx.report(
        reportAt(
          r.res,
          [...r.path, 'blockSize'],
          `${r.where}: blockSize ${bs} is outside ${lo}..${hi} for an IPv${family} pool; ${refuser(r)}.`,
          String(bs),
        ),
      );
      continue;
    }
    const block = bs ?? defaultBlockSize(family);
    if (prefix <= block) continue;
    const dflt = bs === undefined ? ' (the default)' : '';
    if (r.origin === 'ippool') {
      // Calico IPAM needs a block inside an enabled pool; a disabled pool is never carved.
      if (!r.enabled) continue;
      ctx.report(
        cidrReport(
          r,
          `${r.where}: the enabled pool ${r.text} is smaller than its /${block} block${dflt}; Calico IPAM rejects it. Set blockSize: ${prefix} or disabled: true.`,
          `${r.text} /${block}`,
        ),
      );
    } else {
      // The operator checks the size even with disableNewAllocations (validation.go), defaults first.
      const path = [...r.path, 'blockSize'];
      ctx.report({
        ...reportAt(
          r.res,
          r.res.doc.has(path) ? path : [...r.path, 'cidr'],
          `${r.where}: the pool ${r.text} is smaller than its /${block} block${dflt}; the operator rejects the Installation (IP pool size is too small), even for a pool no pod uses. Set blockSize: ${prefix}.`,
          `${r.text} /${block}`,
        ),
        fix: editFix(`Set blockSize: ${prefix} on ${r.where}`, r.res, set(path, prefix)),
      });
    }
  }
}

function checkEncapsulation(ctx: CheckContext): void {
  for (const pool of ctx.model.ipPools) {
    if (isUnresolved(pool.spec.cidr)) continue;
    const cidr = parseCalicoCidr(pool.spec.cidr);
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
  for (const r of withCidr(ctx)) {
    const ll = LINK_LOCAL.find((l) => overlaps(l, r.parsed));
    if (!ll) continue;
    ctx.report(
      cidrReport(
        r,
        `${r.where}: ${r.text} overlaps the link-local range ${ll.network}; ${r.origin === 'ippool' ? 'Calico rejects it' : "Calico's validator rejects the IPPool the operator makes of it"} (those addresses never leave a link).`,
        r.text!,
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
    'Calico rejects a pool whose CIDR does not parse or has host bits set ("IP pool CIDR is not strictly masked"); through raw CRDs it slips in and IPAM and the BGP export filter then disagree about the range. Operator Installation ipPools too: the operator needs address/prefix (no bare address) and passes host bits on to Calico, which rejects the IPPool.',
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
    'Calico rejects an overlapping pool on create, but crd.projectcalico.org/v1 manifests applied directly (before 3.32) skip that check; IPAM can then allocate one address from both pools, and export decisions depend on which pool BIRD matches. Operator Installation ipPools count as pools (an IPPool of exactly the same CIDR is adopted by the operator, not a second pool).',
  remediation: 'Shrink or remove one of the pools so their CIDRs are disjoint.',
  evidence: ['calico libcalico-go/lib/clientv3/ippool.go', IPPOOL_API],
  check: checkOverlap,
});

export const ippoolBlockSize = defineRule({
  id: 'ippool-block-size',
  family,
  severity: 'error',
  title: 'IPPool blockSize out of range, or a pool smaller than its block',
  rationale:
    'Calico and the operator accept blockSize 20..32 for IPv4 and 116..128 for IPv6 (default 26 and 122). Calico IPAM needs an enabled IPPool to hold at least one block; the operator refuses any of its ipPools smaller than its block, even one with disableNewAllocations, and then creates no pool at all.',
  remediation:
    'Use a blockSize within range and no shorter than the pool prefix, or mark an IPPool that is only for routing disabled: true.',
  evidence: [
    'calico libcalico-go/lib/clientv3/ippool.go',
    VALIDATOR,
    'tigera/operator pkg/controller/ippool/validation.go (IP pool size is too small)',
    'tigera/operator pkg/controller/ippool/defaults.go (blockSize 26 for IPv4, 122 for IPv6)',
  ],
  fix: 'on an operator ipPool, set blockSize to the pool prefix',
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
