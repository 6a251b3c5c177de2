// Section B as data: what PureLB would reject or misread in the ServiceGroups of one scope.
// pools.ts computes these once per scope, because a pool's validity (which sections D and E
// rely on) is exactly "no section-B error here"; servicegroup.ts turns them into reports.
import type { Fix, Severity } from '../findings.ts';
import { editFix, set } from '../fixes/build.ts';
import type { Path } from '../manifests/document.ts';
import { isUnresolved } from '../manifests/model.ts';
import type { ServiceGroup } from '../manifests/purelb.ts';
import { at } from '../manifests/resource.ts';
import { overlappingPairs } from '../net/intervals.ts';
import { contains, formatAddress, formatInterval, type Interval } from '../net/ip.ts';
import type { ParsedPool } from './pools.ts';

/** Default severities of the catalog; the registry and the validity rule both read them here. */
export const SG_SEVERITY = {
  'sg-shape': 'error',
  'sg-pool-syntax': 'error',
  'sg-subnet-syntax': 'error',
  'sg-subnet-not-canonical': 'warning',
  'sg-pool-outside-subnet': 'error',
  'sg-pool-family': 'error',
  'sg-aggregation': 'error',
  'sg-aggregation-wider-than-subnet': 'warning',
  'sg-pool-overlap': 'error',
  'sg-duplicate-name': 'error',
  'sg-cidr-pool-host-bits': 'warning',
  'sg-namespace': 'warning',
} as const satisfies Record<string, Severity>;

export type SgRuleId = keyof typeof SG_SEVERITY;

export type SgProblem = {
  rule: SgRuleId;
  group: ServiceGroup;
  /** Undefined for problems of the whole group (shape, duplicate name). */
  pool?: ParsedPool;
  path: Path;
  part?: 'key' | 'value';
  message: string;
  /** The offending text, for the fingerprint. */
  value: string;
  related?: { group: ServiceGroup; path: Path; message: string }[];
  fix?: Fix | undefined;
};

export type ShapeProblem = { message: string; path: Path; part: 'key' | 'value'; value: string };

/** sg-shape: problems that make PureLB drop the whole group. */
export function groupShapeProblems(g: ServiceGroup): ShapeProblem[] {
  const problems: ShapeProblem[] = [];
  const allowed = g.version === 'v1' ? ['local', 'netbox'] : ['local', 'remote', 'netbox', 'external'];
  const present = g.modes.filter((m) => allowed.includes(m));
  const key = (path: Path, message: string, value: string) =>
    problems.push({ message, path, part: 'key', value });
  for (const m of g.modes.filter((x) => !allowed.includes(x))) {
    key(['spec', m], `purelb.io/${g.version} has no spec.${m}; it allows ${allowed.join(', ')}.`, m);
  }
  if (g.modes.length === 0) {
    key(
      ['spec'],
      `spec needs exactly one of ${allowed.join(', ')}; PureLB cannot allocate from this group.`,
      'none',
    );
  }
  if (present.length > 1) {
    key(
      ['spec', present[1]!],
      `spec has ${present.join(' and ')}; exactly one is allowed, and PureLB rejects the group.`,
      present.join('+'),
    );
  }
  for (const mode of ['local', 'remote'] as const) {
    const h = g.spec[mode];
    // A mode the version lacks is reported above; saying more about it would repeat one cause.
    if (!h || !allowed.includes(mode)) continue;
    if (g.version === 'v2') {
      for (const legacy of ['subnet', 'pool', 'aggregation'] as const) {
        if (h[legacy] === undefined) continue;
        key(
          ['spec', mode, legacy],
          `purelb.io/v2 has no spec.${mode}.${legacy}: move it into v4pool/v6pool (or v4pools/v6pools).`,
          legacy,
        );
      }
      if (h.multiPool === true && h.balancePools === true) {
        key(
          ['spec', mode, 'balancePools'],
          'multiPool and balancePools are mutually exclusive.',
          'multiPool+balancePools',
        );
      }
    }
    if (!g.pools.some((p) => p.path[1] === mode)) {
      key(
        ['spec', mode],
        `spec.${mode} defines no pool (${g.version === 'v1' ? 'subnet/pool, ' : ''}v4pool, v6pool, v4pools or v6pools): PureLB finds no valid address range.`,
        `${mode}-empty`,
      );
    }
  }
  return problems;
}

type Sink = (p: SgProblem) => void;
type Place = { file: string; line: number; column: number };

const before = (a: Place, b: Place): boolean =>
  a.file < b.file || (a.file === b.file && (a.line < b.line || (a.line === b.line && a.column < b.column)));

/** v2 ignores the legacy fields, and sg-shape already says so: nothing more to say about them. */
const v2Legacy = (p: ParsedPool): boolean => p.group.version === 'v2' && p.pool.form === 'legacy';

/** A missing field points at the deepest part that exists: its holder's key, or its list item. */
const fieldPath = (p: ParsedPool, field: 'subnet' | 'pool' | 'aggregation'): Path => [...p.pool.path, field];

const formFamily = (p: ParsedPool): 4 | 6 | undefined =>
  p.pool.form === 'v4pool' || p.pool.form === 'v4pools' ? 4 : p.pool.form === 'legacy' ? undefined : 6;

function checkSubnet(p: ParsedPool, emit: Sink): void {
  const text = p.pool.subnet;
  if (p.unresolvedFields.has('subnet')) return;
  if (text === undefined || text === '') {
    emit({
      rule: 'sg-subnet-syntax',
      group: p.group,
      pool: p,
      path: fieldPath(p, 'subnet'),
      message: `${p.pool.pool ? `Pool ${p.pool.pool}` : 'This pool'} has no subnet; PureLB fails to parse "" as a CIDR and drops the group.`,
      value: 'missing',
    });
  } else if (!p.subnet) {
    emit({
      rule: 'sg-subnet-syntax',
      group: p.group,
      pool: p,
      path: fieldPath(p, 'subnet'),
      message: `Subnet "${text}" is not a CIDR (address/prefix, e.g. 192.168.10.0/24); PureLB drops the group.`,
      value: text,
    });
  } else if (!p.subnet.canonical) {
    emit({
      rule: 'sg-subnet-not-canonical',
      group: p.group,
      pool: p,
      path: fieldPath(p, 'subnet'),
      message: `Subnet ${text} has host bits set; write ${p.subnet.network} (PureLB's multiPool compares subnets as strings).`,
      value: text,
      fix: editFix(
        `Set subnet to the network address ${p.subnet.network}`,
        p.group.res,
        set(fieldPath(p, 'subnet'), p.subnet.network),
      ),
    });
  }
}

function checkPool(p: ParsedPool, emit: Sink): void {
  if (p.unresolvedFields.has('pool')) return;
  const text = p.pool.pool;
  if (p.rangeError !== undefined) {
    emit({
      rule: 'sg-pool-syntax',
      group: p.group,
      pool: p,
      path: fieldPath(p, 'pool'),
      message:
        text === undefined
          ? 'No pool given: PureLB needs a CIDR or a from-to range here.'
          : `Pool "${text}": ${p.rangeError}. PureLB accepts a CIDR or "from-to".`,
      value: text ?? 'missing',
    });
    return;
  }
  if (p.cidr && !p.cidr.canonical && p.range) {
    emit({
      rule: 'sg-cidr-pool-host-bits',
      group: p.group,
      pool: p,
      path: fieldPath(p, 'pool'),
      message: `Pool ${text} starts at ${formatAddress(p.cidr.family, p.cidr.address)}, not at the network address: PureLB does not mask host bits, so it allocates ${formatInterval(p.range)} only.`,
      value: text ?? '',
    });
  }
}

/** sg-pool-family; true when it fired (then outside-subnet stays quiet about the same cause). */
function checkFamily(p: ParsedPool, emit: Sink): boolean {
  const want = formFamily(p);
  if (want === undefined) return false;
  const wrong = (
    [
      ['pool', p.range?.family],
      ['subnet', p.subnet?.family],
    ] as const
  ).find(([, f]) => f !== undefined && f !== want);
  if (!wrong) return false;
  const [field, family] = wrong;
  const text = p.pool[field] ?? '';
  emit({
    rule: 'sg-pool-family',
    group: p.group,
    pool: p,
    path: fieldPath(p, field),
    message: `${p.pool.form} holds IPv${family} ${field} ${text}: ${p.pool.form} is for IPv${want} only; move it to ${family === 4 ? 'v4pool(s)' : 'v6pool(s)'}.`,
    value: text,
  });
  return true;
}

function checkContained(p: ParsedPool, emit: Sink): void {
  if (!p.subnet || !p.range) return;
  const text = p.pool.pool ?? '';
  const base = {
    rule: 'sg-pool-outside-subnet',
    group: p.group,
    pool: p,
    path: fieldPath(p, 'pool'),
    value: text,
  } as const;
  if (p.subnet.family !== p.range.family) {
    emit({
      ...base,
      message: `Pool ${text} is IPv${p.range.family} but subnet ${p.pool.subnet} is IPv${p.subnet.family}.`,
    });
    return;
  }
  if (contains(p.subnet, p.range)) return;
  const ends = [p.range.start, p.range.end]
    .filter((a) => a < p.subnet!.start || a > p.subnet!.end)
    .map((a) => formatAddress(p.range!.family, a));
  emit({
    ...base,
    message: `Pool ${text} reaches outside subnet ${p.pool.subnet} (${[...new Set(ends)].join(' and ')}); PureLB: range not contained by network, group dropped.`,
  });
}

/**
 * "32" meant "/32"; otherwise one route per address on a routed pool (what the PureLB Calico
 * guide uses), and the subnet itself on a local one. No family, no safe guess.
 */
function aggregationFix(p: ParsedPool): { fix: Fix } | Record<string, never> {
  const text = (p.pool.aggregation ?? '').trim();
  const family = p.family;
  if (family === undefined) return {};
  const n = /^[0-9]{1,3}$/.test(text) ? Number(text) : undefined;
  const value =
    n !== undefined && n >= 1 && n <= (family === 4 ? 32 : 128)
      ? `/${n}`
      : p.routed
        ? `/${family === 4 ? 32 : 128}`
        : 'default';
  const fix = editFix(`Set aggregation to ${value}`, p.group.res, set(fieldPath(p, 'aggregation'), value));
  return fix ? { fix } : {};
}

function checkAggregation(p: ParsedPool, emit: Sink): void {
  if (p.unresolvedFields.has('aggregation')) return;
  const text = p.pool.aggregation;
  if (p.aggregationError !== undefined) {
    emit({
      rule: 'sg-aggregation',
      group: p.group,
      pool: p,
      path: fieldPath(p, 'aggregation'),
      message: `Aggregation ${p.aggregationError}; PureLB cannot build the mask and never adds the address.`,
      value: text ?? '',
      ...aggregationFix(p),
    });
    return;
  }
  if (p.group.version === 'v1' && p.routed && (text ?? '') === '') {
    const hint = p.family === 6 ? '/128' : '/32';
    emit({
      rule: 'sg-aggregation',
      group: p.group,
      pool: p,
      path: fieldPath(p, 'aggregation'),
      message: `Routed pool ${p.pool.pool ?? ''} has no aggregation; purelb.io/v1 cannot build a mask from it. Set ${hint} (one route per address) or default.`,
      value: 'empty',
      ...aggregationFix(p),
    });
    return;
  }
  if (typeof p.aggregation === 'number' && p.subnet && !p.unresolvedFields.has('subnet')) {
    if (p.aggregation < p.subnet.prefix) {
      emit({
        rule: 'sg-aggregation-wider-than-subnet',
        group: p.group,
        pool: p,
        path: fieldPath(p, 'aggregation'),
        message: `Aggregation ${text} is wider than subnet ${p.pool.subnet}: the announced route covers addresses outside the subnet.`,
        value: text ?? '',
      });
    }
  }
}

// Math.min/max do not take bigint.
const bigMax = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const bigMin = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** sg-pool-overlap over every pool of the scope, nested pools included, by one sweep. */
function checkOverlaps(pools: readonly ParsedPool[], skip: ReadonlySet<ServiceGroup>, emit: Sink): void {
  const entries: { iv: Interval; value: { p: ParsedPool; place: Place } }[] = [];
  for (const p of pools) {
    if (!p.range || p.unresolvedFields.has('pool') || skip.has(p.group) || v2Legacy(p)) continue;
    entries.push({ iv: p.range, value: { p, place: at(p.group.res, fieldPath(p, 'pool')) } });
  }
  for (const [a, b] of overlappingPairs(entries)) {
    const [first, later] = before(a.place, b.place) ? [a.p, b.p] : [b.p, a.p];
    const x = first.range!;
    const y = later.range!;
    const common: Interval = { family: x.family, start: bigMax(x.start, y.start), end: bigMin(x.end, y.end) };
    const nested = (x.start <= y.start && y.end <= x.end) || (y.start <= x.start && x.end <= y.end);
    const other = `${first.pool.pool} of ServiceGroup ${first.group.res.name}`;
    emit({
      rule: 'sg-pool-overlap',
      group: later.group,
      pool: later,
      path: fieldPath(later, 'pool'),
      message: `Pool ${later.pool.pool} overlaps ${other} (${formatInterval(common)} in both)${nested ? "; one lies inside the other, which PureLB's own overlap check can miss" : ''}.`,
      value: `${later.pool.pool}|${first.group.res.name}/${first.pool.pool}`,
      related: [
        {
          group: first.group,
          path: fieldPath(first, 'pool'),
          message: `overlapping pool ${first.pool.pool} (ServiceGroup ${first.group.res.name})`,
        },
      ],
    });
  }
}

/** sg-duplicate-name; returns the groups reported (the later copies). */
function checkDuplicateNames(groups: readonly ServiceGroup[], emit: Sink): Set<ServiceGroup> {
  const later = new Set<ServiceGroup>();
  const placed = groups
    .filter((g) => !isUnresolved(g.res.name) && !isUnresolved(g.res.namespace))
    .map((g) => ({ g, place: at(g.res, ['metadata', 'name']) }))
    .sort((a, b) => (before(a.place, b.place) ? -1 : before(b.place, a.place) ? 1 : 0));
  const first = new Map<string, ServiceGroup>();
  for (const { g } of placed) {
    // PureLB v1 keys groups by name across the cluster; v2 reads them per namespace.
    const key =
      g.version === 'v1' ? `v1\u0000${g.res.name}` : `v2\u0000${g.res.namespace ?? ''}\u0000${g.res.name}`;
    const prior = first.get(key);
    if (!prior) {
      first.set(key, g);
      continue;
    }
    later.add(g);
    const sameNamespace = (g.res.namespace ?? '') === (prior.res.namespace ?? '');
    const why = sameNamespace
      ? 'they are one Kubernetes object, and the one applied last silently replaces the other'
      : 'purelb.io/v1 keys ServiceGroups by name alone, so PureLB keeps one and loses the other';
    emit({
      rule: 'sg-duplicate-name',
      group: g,
      path: ['metadata', 'name'],
      message: `A second ServiceGroup named ${g.res.name}${sameNamespace ? '' : ` (namespace ${g.res.namespace ?? 'unset'})`}: ${why}.`,
      value: g.res.name,
      related: [
        { group: prior, path: ['metadata', 'name'], message: `first ServiceGroup ${prior.res.name}` },
      ],
    });
  }
  return later;
}

export function findServiceGroupProblems(
  groups: readonly ServiceGroup[],
  pools: readonly ParsedPool[],
): SgProblem[] {
  const out: SgProblem[] = [];
  const emit: Sink = (p) => out.push(p);
  for (const g of groups) {
    for (const s of groupShapeProblems(g)) {
      out.push({
        rule: 'sg-shape',
        group: g,
        path: s.path,
        part: s.part,
        message: s.message,
        value: s.value,
      });
    }
  }
  const duplicates = checkDuplicateNames(groups, emit);
  for (const p of pools) {
    if (v2Legacy(p)) continue;
    checkSubnet(p, emit);
    checkPool(p, emit);
    if (!checkFamily(p, emit)) checkContained(p, emit);
    checkAggregation(p, emit);
  }
  checkOverlaps(pools, duplicates, emit);
  return out;
}
