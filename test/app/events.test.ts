import { afterEach, describe, expect, it } from 'vitest';
import { fakeGitHub, type StoredRun } from '../github/fake.ts';
import { example, INSTALLATION, OWNER, pullRequestPayload, REPO, receive, testProbot } from './harness.ts';
import { BAD_YAML, BROKEN, GOOD, sha } from './trees.ts';

const HEAD = sha('a');
const BASE = sha('b');
const MERGE_BASE = sha('c');
const BEFORE = sha('d');
const installation = { id: INSTALLATION, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uOTU3Mzg3' };

let stop = () => {};
afterEach(() => stop());

const oldRun = (over: Partial<StoredRun> = {}): StoredRun => ({
  id: 555,
  name: 'lbguard',
  head_sha: HEAD,
  external_id: '7',
  status: 'completed',
  conclusion: 'failure',
  output: { title: 'old', summary: 'old', annotations_count: 2 },
  annotations: [],
  updates: [],
  ...over,
});

function repoFor(extra: Partial<Parameters<typeof fakeGitHub>[0]> = {}) {
  const gh = fakeGitHub({
    owner: OWNER,
    repo: REPO,
    trees: { [HEAD]: BROKEN, [MERGE_BASE]: GOOD },
    compare: { [`${BASE}...${HEAD}`]: { mergeBase: MERGE_BASE, files: ['purelb/servicegroups.yaml'] } },
    pulls: { 7: { baseSha: BASE, headSha: HEAD } },
    ...extra,
  });
  stop = gh.stop;
  return gh;
}

describe('rerun events', () => {
  it('re-runs a fork PR from check_run.rerequested using the PR number kept in external_id', async () => {
    // Arrange: fork PRs arrive with an empty pull_requests list on rerun events.
    const gh = repoFor({ runs: [oldRun()] });
    const probot = await testProbot();
    const p = example('check_run', 'rerequested');
    p.installation = installation;
    p.repository = example('pull_request', 'opened').repository;
    p.check_run = { ...p.check_run, name: 'lbguard', head_sha: HEAD, external_id: '7', pull_requests: [] };

    // Act
    await receive(probot, 'check_run', p);

    // Assert
    expect(gh.errors).toEqual([]);
    expect(gh.calls.some((c) => c.url.endsWith(`/pulls/7`))).toBe(true);
    const fresh = gh.runs.filter((r) => r.id !== 555);
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).toMatchObject({ head_sha: HEAD, external_id: '7', conclusion: 'failure' });
  });

  it('ignores a rerun of another app’s check', async () => {
    // Arrange
    const gh = repoFor();
    const probot = await testProbot();
    const p = example('check_run', 'rerequested');
    p.installation = installation;
    p.repository = example('pull_request', 'opened').repository;

    // Act
    await receive(probot, 'check_run', p);

    // Assert
    expect(gh.requests()).toBe(0);
  });

  it('finds the PR of a check_suite rerun through the run’s external_id', async () => {
    // Arrange
    const gh = repoFor({ runs: [oldRun()] });
    const probot = await testProbot();
    const p = example('check_suite', 'rerequested');
    p.installation = installation;
    p.check_suite = { ...p.check_suite, head_sha: HEAD, pull_requests: [] };

    // Act
    await receive(probot, 'check_suite', p);

    // Assert
    expect(gh.errors).toEqual([]);
    expect(gh.runs.filter((r) => r.id !== 555).map((r) => r.conclusion)).toEqual(['failure']);
  });
});

describe('annotations', () => {
  it('sends 120 findings in three batches of at most 50, completing with the last', async () => {
    // Arrange
    const head: Record<string, string> = { ...GOOD };
    for (let i = 0; i < 120; i++) head[`broken/sg-${String(i).padStart(3, '0')}.yaml`] = BAD_YAML;
    const gh = repoFor({
      trees: { [HEAD]: head, [MERGE_BASE]: GOOD },
      compare: { [`${BASE}...${HEAD}`]: { mergeBase: MERGE_BASE, files: Object.keys(head) } },
      config: 'rules:\n  lb-community-missing: off\n',
    });
    const probot = await testProbot();

    // Act
    await receive(
      probot,
      'pull_request',
      pullRequestPayload('opened', { number: 7, headSha: HEAD, baseSha: BASE }),
    );

    // Assert
    expect(gh.errors).toEqual([]);
    const run = gh.runs[0]!;
    const sizes = run.updates.map((u) => (u.output as { annotations?: unknown[] }).annotations?.length ?? 0);
    expect(sizes).toEqual([50, 50, 20]);
    expect(run.updates.map((u) => u.status)).toEqual(['in_progress', 'in_progress', 'completed']);
    expect(run).toMatchObject({ conclusion: 'failure' });
    expect(run.output.title).toBe('120 new errors, 0 new warnings');
  });
});

describe('push to the default branch', () => {
  const pushPayload = (over: Record<string, unknown> = {}) => {
    const p = example('push', undefined);
    p.installation = installation;
    Object.assign(p, {
      ref: 'refs/heads/master',
      before: BEFORE,
      after: HEAD,
      created: false,
      deleted: false,
      forced: false,
      commits: [
        { ...p.head_commit, id: HEAD, added: [], removed: [], modified: ['purelb/servicegroups.yaml'] },
      ],
      ...over,
    });
    return p;
  };

  it('checks the pushed commit on its own: every finding counts', async () => {
    // Arrange
    const gh = repoFor();
    const probot = await testProbot();

    // Act
    await receive(probot, 'push', pushPayload());

    // Assert
    expect(gh.errors).toEqual([]);
    expect(gh.calls.filter((c) => c.url.includes('codeload')).map((c) => c.url.split('/').at(-1))).toEqual([
      HEAD,
    ]);
    expect(gh.runs).toHaveLength(1);
    expect(gh.runs[0]).toMatchObject({ head_sha: HEAD, external_id: null, conclusion: 'failure' });
    expect(gh.runs[0]!.output.title).toMatch(/^1 error, 0 warnings/);
  });

  it('stays off when config says push.enabled: false, and ignores other branches', async () => {
    // Arrange
    const gh = repoFor({ config: 'push:\n  enabled: false\n' });
    const probot = await testProbot();

    // Act
    await receive(probot, 'push', pushPayload());
    await receive(probot, 'push', pushPayload({ ref: 'refs/heads/feature' }));

    // Assert
    expect(gh.errors).toEqual([]);
    expect(gh.runs).toEqual([]);
    expect(gh.calls.filter((c) => !c.url.includes('access_tokens') && !c.url.includes('contents'))).toEqual(
      [],
    );
  });
});
