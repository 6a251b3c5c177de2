// Check runs as a busy repository produces them: new and pre-existing findings over several rules
// of each severity, and a pool table, at any size.
import type { PoolRow } from '../../src/checks/pool-table.ts';
import type { CheckRunInput, ReviewedFinding } from '../../src/render/checkrun.ts';

const RULES = [
  ['lb-pool-not-exported', 'error'],
  ['sg-pool-outside-subnet', 'error'],
  ['ippool-overlap', 'error'],
  ['resource-shape', 'error'],
  ['sg-namespace', 'warning'],
  ['lb-bgpfilter-rejects', 'warning'],
  ['template-skipped', 'notice'],
] as const;

export function sampleFindings(total: number, existing: number): ReviewedFinding[] {
  return Array.from({ length: total }, (_, i): ReviewedFinding => {
    const [rule, severity] = RULES[i % RULES.length]!;
    return {
      rule,
      severity,
      file: `clusters/c${i % 4}/apps/app-${i}/service.yaml`,
      line: 3 + (i % 40),
      column: 5,
      endLine: 3 + (i % 40),
      endColumn: 20,
      message: `Service app-${i} asks for pool pool-${i % 9} <${'x'.repeat(i % 3)}> which no ServiceGroup in scope c${i % 4} defines`,
      scope: `c${i % 4}`,
      fingerprint: `fp${i}`,
      state: i < total - existing ? 'new' : 'existing',
      ...(i % 5 === 0 ? { causedBy: [`clusters/c${i % 4}/purelb/groups.yaml`] } : {}),
    };
  });
}

export function samplePools(n: number): PoolRow[] {
  return Array.from({ length: n }, (_, i) => ({
    scope: `c${i % 4}`,
    group: `group-${i}`,
    file: `clusters/c${i % 4}/purelb/servicegroups.yaml`,
    pool: `10.${i}.0.240-10.${i}.0.250`,
    mode: i % 3 ? 'routed' : 'local',
    advertised: `10.${i}.0.0/24`,
    coveringIpPool: i % 4 ? `purelb-10-${i}-0-0-24` : '',
    communities: i % 2 ? '64512:100, no-export' : '',
    verdict: i % 6 === 0 ? 'problem' : i % 7 === 0 ? 'unknown' : 'ok',
  }));
}

export const sampleRun = (total: number, existing: number, pools: number): CheckRunInput => ({
  findings: sampleFindings(total, existing),
  pools: samplePools(pools),
  scopes: ['c0', 'c1', 'c2', 'c3'].map((name) => ({ name, files: 120, reason: 'Flux entry point' })),
  countAll: false,
  context: 'Compared 1a2b3c4 with the merge base 5d6e7f8 (480 manifest files read).',
  links: { repository: 'https://github.com/acme/infra', sha: '1a2b3c4d5e6f' },
  suppressed: 3,
});
