// One answer everywhere: the CLI's `check --base` and the App's review (token mode against the
// fake GitHub, nock underneath) on the same head and base trees report the same findings, the
// same new/pre-existing states and the same verdict. Each scenario is a pull request.
import { afterEach, describe, expect, it } from 'vitest';
import { review } from '../../src/cli/review.ts';
import { BAD_YAML, GOOD, IPPOOLS, serviceGroup, sha } from '../app/trees.ts';
import { fakeGitHub, type Tree } from '../github/fake.ts';
import { run, tempRepo } from './harness.ts';

const HEAD = sha('a');
const BASE = sha('b');
const MERGE_BASE = sha('c');

let stop = () => {};
afterEach(() => stop());

const WIDE = serviceGroup('172.30.200.0/23');
const SG = 'purelb/servicegroups.yaml';
const CFG = '.github/lbguard.yml';
const METALLB = `apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: lan
  namespace: metallb-system
spec:
  addresses: ["192.168.5.0/24"]
`;
const LB_SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: apps
spec:
  type: LoadBalancer
`;
/** An IPPool with host bits: an error of its own, unrelated to PureLB. */
const SLOPPY = IPPOOLS.replace('name: purelb-ipv4', 'name: sloppy').replace('172.30.200.0/24', '10.9.0.5/16');

type Scenario = { name: string; base: Tree; head: Tree };

const SCENARIOS: Scenario[] = [
  {
    name: 'clean on both sides',
    base: GOOD,
    head: { ...GOOD, 'calico/ippools.yaml': `# pools\n${IPPOOLS}` },
  },
  { name: 'a new error', base: GOOD, head: { ...GOOD, [SG]: WIDE } },
  {
    name: 'pre-existing only, moved by an edit',
    base: { ...GOOD, [SG]: WIDE },
    head: { ...GOOD, [SG]: `# moved\n${WIDE}` },
  },
  { name: 'a fix applied', base: { ...GOOD, [SG]: WIDE }, head: GOOD },
  {
    name: 'new and pre-existing together',
    base: { ...GOOD, 'calico/sloppy.yaml': SLOPPY },
    head: { ...GOOD, 'calico/sloppy.yaml': SLOPPY, [SG]: WIDE },
  },
  { name: 'a broken base', base: { ...GOOD, 'purelb/broken.yaml': BAD_YAML }, head: { ...GOOD, [SG]: WIDE } },
  { name: 'a file added', base: { 'README.md': '# infra\n', [SG]: GOOD[SG] }, head: GOOD },
  {
    name: 'config changed in the PR: a rule turned off',
    base: { ...GOOD, [SG]: WIDE, [CFG]: 'failOn: new\n' },
    head: {
      ...GOOD,
      [SG]: WIDE,
      'calico/sloppy.yaml': SLOPPY,
      [CFG]: 'rules:\n  lb-pool-not-exported: off\n',
    },
  },
  {
    name: 'config changed in the PR: failOn all makes the old error fail',
    base: { ...GOOD, [SG]: WIDE, [CFG]: 'failOn: new\n' },
    head: { ...GOOD, [SG]: `# touched\n${WIDE}`, [CFG]: 'failOn: all\n' },
  },
  {
    name: 'config changed in the PR: a rule switched on finds old problems, pre-existing',
    base: { ...GOOD, 'calico/sloppy.yaml': SLOPPY, [CFG]: 'rules:\n  ippool-cidr: off\n' },
    head: { ...GOOD, 'calico/sloppy.yaml': SLOPPY, [CFG]: 'failOn: new\n' },
  },
  {
    name: 'a config problem',
    base: { ...GOOD, [CFG]: 'failOn: new\n' },
    head: { ...GOOD, [CFG]: 'failOn: new\nbogus: 1\n' },
  },
  {
    name: 'warnings only',
    base: GOOD,
    head: { ...GOOD, 'metallb/pool.yaml': METALLB, 'apps/web.yaml': LB_SERVICE },
  },
];

type Seen = { findings: string[]; conclusion: string };

async function viaCli(s: Scenario): Promise<Seen> {
  const head = tempRepo(s.head);
  const base = tempRepo(s.base);
  const r = await run(['check', head, '--base', base, '--format', 'json']);
  const json = JSON.parse(r.out) as {
    findings: { rule: string; file: string; line: number; state?: string }[];
  };
  // With failOn: all every finding counts, and the check run shows none as pre-existing.
  const countAll = /^failOn: all$/m.test(s.head[CFG] ?? '');
  return {
    findings: json.findings.map((f) => `${f.rule} ${f.file}:${f.line} ${countAll ? 'new' : f.state}`).sort(),
    conclusion: r.code === 1 ? 'failure' : r.code === 0 ? 'success' : `exit ${r.code}: ${r.err}`,
  };
}

async function viaApp(s: Scenario): Promise<Seen> {
  const changed = [...new Set([...Object.keys(s.head), ...Object.keys(s.base)])].filter(
    (p) => s.head[p] !== s.base[p],
  );
  const gh = fakeGitHub({
    owner: 'acme',
    repo: 'infra',
    trees: { [HEAD]: s.head, [MERGE_BASE]: s.base },
    compare: { [`${BASE}...${HEAD}`]: { mergeBase: MERGE_BASE, files: changed } },
    pulls: { 12: { baseSha: BASE, headSha: HEAD } },
    // The default branch is the base: its config file is the repository's config.
    config: s.base[CFG] ?? null,
  });
  stop = gh.stop;
  const io = { out: () => {}, err: () => {}, isTTY: false };
  // An installation token (ghs_): a personal token cannot create check runs.
  await review({ repo: 'acme/infra', pr: '12' }, io, { GITHUB_TOKEN: 'ghs_test' });
  expect(gh.errors).toEqual([]);
  const runOut = gh.runs.at(-1)!;
  const annotations = runOut.annotations as { title: string; path: string; start_line: number }[];
  const findings = annotations
    .filter((a) => !a.title.includes(': related to '))
    .map((a) => {
      const [head] = a.title.split(': ');
      const old = head!.endsWith(' (pre-existing)');
      return `${head!.replace(' (pre-existing)', '')} ${a.path}:${a.start_line} ${old ? 'existing' : 'new'}`;
    })
    .sort();
  return { findings, conclusion: runOut.conclusion ?? 'none' };
}

describe('CLI --base and the App review agree', () => {
  it('covers at least ten scenario trees', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(10);
  });

  it.each(SCENARIOS)('$name', async (s) => {
    // Act
    const cli = await viaCli(s);
    const app = await viaApp(s);

    // Assert
    expect(app).toEqual(cli);
  });

  it('is not vacuous: the scenarios between them fail, pass, and hold new and pre-existing findings', async () => {
    // Act
    const seen = await Promise.all(SCENARIOS.map(viaCli));

    // Assert
    const all = seen.flatMap((x) => x.findings);
    expect(seen.map((x) => x.conclusion)).toEqual(expect.arrayContaining(['failure', 'success']));
    expect(all.some((f) => f.endsWith(' new'))).toBe(true);
    expect(all.some((f) => f.endsWith(' existing'))).toBe(true);
  });
});
