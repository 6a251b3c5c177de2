import { afterEach, describe, expect, it } from 'vitest';
import { fakeGitHub } from '../github/fake.ts';
import { type LogLine, OWNER, pullRequestPayload, REPO, receive, testProbot } from './harness.ts';
import { BAD_YAML, BROKEN, GOOD, sha, UNRELATED } from './trees.ts';

const HEAD = sha('a');
const BASE = sha('b');
const MERGE_BASE = sha('c');
const PR = { number: 7, headSha: HEAD, baseSha: BASE };
const basehead = `${BASE}...${HEAD}`;

let stop = () => {};
afterEach(() => stop());

function repo(opts: {
  head: Record<string, string>;
  base: Record<string, string>;
  changed: string[];
  config?: string;
  orgConfig?: string;
}) {
  const gh = fakeGitHub({
    owner: OWNER,
    repo: REPO,
    trees: { [HEAD]: opts.head, [MERGE_BASE]: opts.base },
    compare: { [basehead]: { mergeBase: MERGE_BASE, files: opts.changed } },
    config: opts.config ?? null,
    ...(opts.orgConfig ? { orgConfig: opts.orgConfig } : {}),
  });
  stop = gh.stop;
  return gh;
}

describe('pull_request webhooks', () => {
  it('fails a PR that breaks an unchanged IPPool, annotating the ServiceGroup line and the IPPool file', async () => {
    // Arrange
    const gh = repo({ head: BROKEN, base: GOOD, changed: ['purelb/servicegroups.yaml'] });
    const probot = await testProbot();

    // Act
    await receive(probot, 'pull_request', pullRequestPayload('opened', PR));

    // Assert
    expect(gh.errors).toEqual([]);
    expect(gh.runs).toHaveLength(1);
    const run = gh.runs[0]!;
    expect(run).toMatchObject({
      head_sha: HEAD,
      external_id: '7',
      status: 'completed',
      conclusion: 'failure',
    });
    expect(run.output.title).toMatch(/^1 new error, 0 new warnings/);
    const places = run.annotations
      .filter((a) => String(a.title).startsWith('lb-pool-not-exported'))
      .map((a) => `${a.path}:${a.start_line}:${a.start_column}:${a.annotation_level}`);
    expect(places).toEqual(['purelb/servicegroups.yaml:10:13:failure', 'calico/ippools.yaml:6:9:failure']);
    const onPool = run.annotations.find((a) => a.path === 'calico/ippools.yaml')!;
    expect(onPool.message).toContain('Caused by the change to `purelb/servicegroups.yaml`');
    expect(run.output.summary).toContain('| `172.30.200.155-172.30.200.160` | routed');
    expect(run.output.summary).toContain('docs/rules.md#lb-pool-not-exported');
  });

  it('passes with notices when the only problem was already on the base', async () => {
    // Arrange
    const broken = { ...GOOD, 'purelb/broken.yaml': BAD_YAML };
    const gh = repo({
      head: { ...broken, 'README.md': '# changed\n' },
      base: broken,
      changed: ['README.md', 'x.yaml'],
    });
    const probot = await testProbot();

    // Act
    await receive(probot, 'pull_request', pullRequestPayload('synchronize', PR));

    // Assert
    expect(gh.errors).toEqual([]);
    const run = gh.runs[0]!;
    expect(run.conclusion).toBe('success');
    expect(run.output.title).toMatch(/^No new errors or warnings \(\d+ pre-existing\)$/);
    const syntax = run.annotations.filter((a) => String(a.title).startsWith('yaml-syntax'));
    expect(syntax.map((a) => `${a.path}:${a.start_line}:${a.annotation_level}`)).toEqual([
      'purelb/broken.yaml:5:notice',
    ]);
    expect(syntax[0]!.title).toContain('(pre-existing)');
  });

  it('updates the same run when the webhook is delivered again', async () => {
    // Arrange
    const gh = repo({ head: BROKEN, base: GOOD, changed: ['purelb/servicegroups.yaml'] });
    const probot = await testProbot();
    const payload = pullRequestPayload('opened', PR);

    // Act
    await receive(probot, 'pull_request', payload, 'delivery-1');
    const firstAnnotations = gh.runs[0]!.annotations.length;
    await receive(probot, 'pull_request', payload, 'delivery-1');

    // Assert
    expect(gh.errors).toEqual([]);
    expect(gh.runs).toHaveLength(1);
    expect(gh.calls.filter((c) => c.method === 'POST' && c.url.endsWith('/check-runs'))).toHaveLength(1);
    expect(gh.runs[0]!.updates.length).toBeGreaterThanOrEqual(2);
    expect(gh.runs[0]!.annotations).toHaveLength(firstAnnotations);
    expect(gh.runs[0]!.conclusion).toBe('failure');
  });

  it('makes one run when two deliveries arrive at the same time', async () => {
    // Arrange
    const gh = repo({ head: BROKEN, base: GOOD, changed: ['purelb/servicegroups.yaml'] });
    const probot = await testProbot();

    // Act
    await Promise.all([
      receive(probot, 'pull_request', pullRequestPayload('opened', PR), 'delivery-1'),
      receive(probot, 'pull_request', pullRequestPayload('synchronize', PR), 'delivery-2'),
    ]);

    // Assert
    expect(gh.errors).toEqual([]);
    expect(gh.runs).toHaveLength(1);
    expect(gh.runs[0]!.conclusion).toBe('failure');
  });

  it('puts a fork PR run on the base repository at the head SHA', async () => {
    // Arrange
    const gh = repo({ head: BROKEN, base: GOOD, changed: ['purelb/servicegroups.yaml'] });
    const probot = await testProbot();

    // Act
    await receive(probot, 'pull_request', pullRequestPayload('opened', { ...PR, fork: true }));

    // Assert
    expect(gh.errors).toEqual([]);
    const creates = gh.calls.filter((c) => c.method === 'POST' && c.url.endsWith('/check-runs'));
    expect(creates.map((c) => c.url)).toEqual([`https://api.github.com/repos/${OWNER}/${REPO}/check-runs`]);
    expect(creates[0]!.body).toMatchObject({ head_sha: HEAD, external_id: '7', status: 'in_progress' });
    expect(gh.calls.some((c) => c.url.includes('/forker/'))).toBe(false);
  });

  it('ends the run neutral with the reason when an API request fails mid-review', async () => {
    // Arrange
    // The merge base's tarball fails after the run is open.
    const gh2 = fakeGitHub({
      owner: OWNER,
      repo: REPO,
      trees: { [HEAD]: BROKEN, [MERGE_BASE]: GOOD },
      compare: { [basehead]: { mergeBase: MERGE_BASE, files: ['purelb/servicegroups.yaml'] } },
      config: 'failOn: new\n',
      fail: (method, path) => (method === 'GET' && path.endsWith(`/tarball/${MERGE_BASE}`) ? 502 : undefined),
    });
    stop = gh2.stop;
    const probot = await testProbot();

    // Act
    await receive(probot, 'pull_request', pullRequestPayload('reopened', PR));

    // Assert
    expect(gh2.errors).toEqual([]);
    expect(gh2.runs).toHaveLength(1);
    expect(gh2.runs[0]).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(gh2.runs[0]!.output.title).toMatch(/^Not checked: a GitHub API request failed \(HTTP 502\)/);
  });

  it('ends the run neutral when the compare API fails in a repository with a config file', async () => {
    // Arrange
    const gh = fakeGitHub({
      owner: OWNER,
      repo: REPO,
      trees: { [HEAD]: BROKEN, [MERGE_BASE]: GOOD },
      config: 'failOn: new\n',
      fail: (method, path) => (method === 'GET' && path.includes('/compare/') ? 500 : undefined),
    });
    stop = gh.stop;
    const probot = await testProbot();

    // Act
    await receive(probot, 'pull_request', pullRequestPayload('opened', PR));

    // Assert
    expect(gh.runs).toHaveLength(1);
    expect(gh.runs[0]).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(gh.runs[0]!.output.title).toMatch(/^Not checked: a GitHub API request failed \(HTTP 500\)/);
  });

  it('stays silent on a repository with no watched resource and no config', async () => {
    // Arrange
    const gh = repo({ head: UNRELATED, base: UNRELATED, changed: ['deploy/deployment.yaml'] });
    const probot = await testProbot();

    // Act
    await receive(probot, 'pull_request', pullRequestPayload('opened', PR));

    // Assert
    expect(gh.errors).toEqual([]);
    expect(gh.calls.filter((c) => c.url.includes('check-runs'))).toEqual([]);
  });

  it('stays silent on an unrelated repository when only the org has a default config', async () => {
    // Arrange: the org's .github repo holds a default config; this repository has none of its own.
    const gh = repo({
      head: UNRELATED,
      base: UNRELATED,
      changed: ['README.md'],
      orgConfig: 'failOn: all\n',
    });
    const probot = await testProbot();

    // Act
    await receive(probot, 'pull_request', pullRequestPayload('opened', PR));

    // Assert
    expect(gh.calls.some((c) => c.url.includes('/repos/Codertocat/.github/contents/'))).toBe(true);
    expect(gh.calls.filter((c) => c.url.includes('check-runs') || c.url.includes('tarball'))).toEqual([]);
  });

  it('stays silent on an unrelated repository when the org default config is broken', async () => {
    // Arrange: a YAML error in the org's .github repo must not make every repository get a run.
    const gh = repo({
      head: UNRELATED,
      base: UNRELATED,
      changed: ['README.md'],
      orgConfig: 'failOn: [all\n',
    });
    const probot = await testProbot();

    // Act
    await receive(probot, 'pull_request', pullRequestPayload('opened', PR));

    // Assert
    expect(gh.calls.filter((c) => c.url.includes('check-runs') || c.url.includes('tarball'))).toEqual([]);
  });

  it('applies the org default config to a repository without its own', async () => {
    // Arrange: a problem already on the base counts only because the org says failOn: all.
    const broken = { ...GOOD, 'purelb/broken.yaml': BAD_YAML };
    const gh = repo({
      head: { ...broken, 'purelb/servicegroups.yaml': `${GOOD['purelb/servicegroups.yaml']}# note\n` },
      base: broken,
      changed: ['purelb/servicegroups.yaml'],
      orgConfig: 'failOn: all\n',
    });
    const probot = await testProbot();

    // Act
    await receive(probot, 'pull_request', pullRequestPayload('opened', PR));

    // Assert
    expect(gh.runs[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
  });

  it('reports a config file that is not YAML as a config finding instead of going silent', async () => {
    // Arrange
    const bad = 'failOn: [all\n';
    const gh = repo({
      head: { ...GOOD, '.github/lbguard.yml': bad },
      base: GOOD,
      changed: ['.github/lbguard.yml'],
      config: bad,
    });
    const probot = await testProbot();

    // Act
    await receive(probot, 'pull_request', pullRequestPayload('opened', PR));

    // Assert
    expect(gh.runs).toHaveLength(1);
    expect(gh.runs[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(gh.runs[0]!.annotations.map((a) => `${a.path}:${String(a.title).split(':')[0]}`)).toContain(
      '.github/lbguard.yml:config',
    );
  });

  it('downloads no tree when the PR changes no manifest or config file', async () => {
    // Arrange
    const gh = repo({ head: GOOD, base: GOOD, changed: ['README.md', 'src/main.go'] });
    const probot = await testProbot();

    // Act
    await receive(probot, 'pull_request', pullRequestPayload('opened', PR));

    // Assert
    expect(gh.errors).toEqual([]);
    expect(gh.calls.filter((c) => c.url.includes('tarball') || c.url.includes('codeload'))).toEqual([]);
    expect(gh.runs).toEqual([]);
  });

  it('costs the same requests for 2,000 files and 300 changed as for a three-file repository', async () => {
    // Arrange
    const big: Record<string, string> = { ...GOOD };
    for (let i = 0; i < 1997; i++)
      big[`apps/app-${i}/deployment.yaml`] =
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n`;
    const changedBig = Object.keys(big).slice(0, 300);
    const costOf = async (head: Record<string, string>, changed: string[]) => {
      const gh = repo({ head, base: GOOD, changed });
      const probot = await testProbot();
      await receive(probot, 'pull_request', pullRequestPayload('opened', PR));
      gh.stop();
      expect(gh.errors).toEqual([]);
      expect(gh.runs[0]?.status).toBe('completed');
      return gh.requests();
    };

    // Act
    const small = await costOf(GOOD, ['purelb/servicegroups.yaml']);
    const large = await costOf(big, changedBig);

    // Assert
    expect(Object.keys(big)).toHaveLength(2000);
    expect(large).toBe(small);
  });

  it('writes one log line per review with the counts and no secret', async () => {
    // Arrange
    repo({ head: BROKEN, base: GOOD, changed: ['purelb/servicegroups.yaml'] });
    const logs: LogLine[] = [];
    const probot = await testProbot(logs);

    // Act
    await receive(probot, 'pull_request', pullRequestPayload('opened', PR));

    // Assert
    const lines = logs.filter((l) => l.msg === 'lbguard review');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      repo: `${OWNER}/${REPO}`,
      pr: 7,
      headSha: HEAD,
      outcome: 'failure',
      files: 4,
    });
    expect(lines[0]!.requests).toBeGreaterThan(0);
    expect(typeof lines[0]!.durationMs).toBe('number');
    expect(JSON.stringify(logs)).not.toMatch(/ghs_testtoken|PRIVATE KEY/);
  });
});

describe('limits', () => {
  it('ends neutral when the review runs out of time, never leaving the run in progress', async () => {
    // Arrange
    const gh = fakeGitHub({
      owner: OWNER,
      repo: REPO,
      trees: { [HEAD]: BROKEN, [MERGE_BASE]: GOOD },
      compare: { [basehead]: { mergeBase: MERGE_BASE, files: ['purelb/servicegroups.yaml'] } },
      config: 'failOn: new\n',
      slow: (method, path) =>
        method === 'GET' && path.endsWith(`/tarball/${MERGE_BASE}`) ? 1500 : undefined,
    });
    stop = gh.stop;
    process.env.LBGUARD_REVIEW_TIMEOUT_MS = '300';
    const probot = await testProbot();

    // Act
    await receive(probot, 'pull_request', pullRequestPayload('opened', PR)).finally(() => {
      delete process.env.LBGUARD_REVIEW_TIMEOUT_MS;
    });

    // Assert
    expect(gh.errors).toEqual([]);
    expect(gh.runs[0]).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(gh.runs[0]!.output.title).toMatch(/^Not checked: the review took longer than 300 ms/);
  });

  it('never lets a late annotation batch overwrite the neutral result of a timed-out review', async () => {
    // Arrange: 120 findings need three updates; the first one answers after the time limit.
    const head: Record<string, string> = { ...GOOD };
    for (let i = 0; i < 120; i++) head[`broken/sg-${i}.yaml`] = BAD_YAML;
    let patches = 0;
    const gh = fakeGitHub({
      owner: OWNER,
      repo: REPO,
      trees: { [HEAD]: head, [MERGE_BASE]: GOOD },
      compare: { [basehead]: { mergeBase: MERGE_BASE, files: Object.keys(head) } },
      config: 'failOn: new\n',
      slow: (method, path) =>
        method === 'PATCH' && path.includes('/check-runs/') && ++patches === 1 ? 900 : undefined,
    });
    stop = gh.stop;
    process.env.LBGUARD_REVIEW_TIMEOUT_MS = '600';
    const probot = await testProbot();

    // Act
    await receive(probot, 'pull_request', pullRequestPayload('opened', PR)).finally(() => {
      delete process.env.LBGUARD_REVIEW_TIMEOUT_MS;
    });
    // Long enough for the slow batch to land, had it been sent after the neutral result.
    await new Promise((r) => setTimeout(r, 1000));

    // Assert
    const run = gh.runs[0]!;
    expect(run).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(run.updates.at(-1)).toMatchObject({ status: 'completed', conclusion: 'neutral' });
  });

  it('ends neutral with the reason when the tree is over the file cap', async () => {
    // Arrange
    const gh = repo({
      head: BROKEN,
      base: GOOD,
      changed: ['purelb/servicegroups.yaml'],
      config: 'limits:\n  maxFiles: 1\n',
    });
    const probot = await testProbot();

    // Act
    await receive(probot, 'pull_request', pullRequestPayload('opened', PR));

    // Assert
    expect(gh.errors).toEqual([]);
    expect(gh.runs).toHaveLength(1);
    expect(gh.runs[0]).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(gh.runs[0]!.output.summary).toContain('more than 1 manifest files (limits.maxFiles)');
  });
});
