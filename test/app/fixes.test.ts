// Fixes through the App: the "Apply fixes" button and its commit, and review suggestions for forks.
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeRepo, fakeGitHub, type StoredRun } from '../github/fake.ts';
import { example, INSTALLATION, OWNER, pullRequestPayload, REPO, receive, testProbot } from './harness.ts';
import { GOOD, sha } from './trees.ts';

const HEAD = sha('a');
const BASE = sha('b');
const MERGE_BASE = sha('c');
const OTHER = sha('d');
const PR = { number: 7, headSha: HEAD, baseSha: BASE };
const installation = { id: INSTALLATION, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uOTU3Mzg3' };

const POOLS = `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: pods
spec:
  # the pod range
  cidr: 10.0.0.5/24
  ipipMode: Never
`;
const FIXED = POOLS.replace('10.0.0.5/24', '10.0.0.0/24');
/** The PR adds an IPPool whose cidr has host bits set (ippool-cidr, fixable). */
const WITH_POOL = { ...GOOD, 'calico/pods.yaml': POOLS };
/** The patch GitHub shows for the new file: every line added. */
const NEW_FILE_PATCH = `@@ -0,0 +1,8 @@\n${POOLS.trimEnd()
  .split('\n')
  .map((l) => `+${l}`)
  .join('\n')}`;

let stop = () => {};
afterEach(() => stop());

function repo(over: Partial<FakeRepo> = {}) {
  const r: FakeRepo = {
    owner: OWNER,
    repo: REPO,
    trees: { [HEAD]: WITH_POOL, [MERGE_BASE]: GOOD },
    compare: { [`${BASE}...${HEAD}`]: { mergeBase: MERGE_BASE, files: ['calico/pods.yaml'] } },
    pulls: {
      7: {
        baseSha: BASE,
        headSha: HEAD,
        ref: 'fix/pods',
        files: [{ filename: 'calico/pods.yaml', patch: NEW_FILE_PATCH }],
      },
    },
    permissions: { octocat: 'write', reader: 'read' },
    config: null,
    ...over,
  };
  const gh = fakeGitHub(r);
  stop = gh.stop;
  return { gh, r };
}

const lastUpdate = (run: StoredRun) =>
  run.updates.at(-1) as { actions?: unknown[]; output: { text?: string; summary: string; title: string } };

/** The button click, as GitHub sends it for the run the review completed. */
function click(run: StoredRun, login: string) {
  const p = example('check_run', 'requested_action');
  const out = lastUpdate(run).output;
  p.installation = installation;
  p.repository = example('pull_request', 'opened').repository;
  p.sender = { ...p.sender, login };
  p.requested_action = { identifier: 'apply-fixes' };
  p.check_run = {
    ...p.check_run,
    id: run.id,
    name: 'lbguard',
    head_sha: run.head_sha,
    external_id: run.external_id,
    pull_requests: [],
    output: { ...p.check_run.output, title: out.title, summary: out.summary, text: out.text ?? null },
  };
  return p;
}

const gitWrites = (gh: ReturnType<typeof fakeGitHub>) =>
  gh.calls.filter((c) => /\/git\/(trees|commits|refs)/.test(c.url) && c.method !== 'GET');

async function reviewed(over: Partial<FakeRepo> = {}, fork = false) {
  const { gh, r } = repo(over);
  const probot = await testProbot();
  await receive(probot, 'pull_request', pullRequestPayload('opened', { ...PR, fork }));
  return { gh, r, probot, run: gh.runs[0]! };
}

describe('the Apply fixes action', () => {
  it('is offered when a new finding has a fix, with the changes in the run text', async () => {
    // Act
    const { gh, run } = await reviewed();

    // Assert
    expect(gh.errors).toEqual([]);
    const update = lastUpdate(run);
    expect(update.actions).toEqual([
      { label: 'Apply fixes', description: 'Commit the fixes to the PR branch', identifier: 'apply-fixes' },
    ]);
    expect(update.output.text).toContain('-  cidr: 10.0.0.5/24\n+  cidr: 10.0.0.0/24');
    expect(update.output.text).toMatch(/<!-- lbguard:fixes [0-9a-f]{16} -->/);
    expect(gh.reviews).toEqual([]);
  });

  it('is not offered when the only fixable finding was already on the base', async () => {
    // Act
    const { gh, run } = await reviewed({
      trees: { [HEAD]: { ...WITH_POOL, 'README.md': '# new\n' }, [MERGE_BASE]: WITH_POOL },
    });

    // Assert
    expect(gh.errors).toEqual([]);
    expect(lastUpdate(run).actions).toBeUndefined();
    expect(lastUpdate(run).output.text).toBeUndefined();
  });

  it('is not offered, and nothing is suggested, with fixes.mode off', async () => {
    // Act
    const { gh, run } = await reviewed({ config: 'fixes:\n  mode: "off"\n' });

    // Assert
    expect(gh.errors).toEqual([]);
    expect(lastUpdate(run).actions).toBeUndefined();
    expect(gh.reviews).toEqual([]);
  });

  it('refuses a click by a read-only user, says so in the run, and writes nothing', async () => {
    // Arrange
    const { gh, probot, run } = await reviewed();

    // Act
    await receive(probot, 'check_run', click(run, 'reader'), 'delivery-2');

    // Assert
    expect(gh.errors).toEqual([]);
    expect(gitWrites(gh)).toEqual([]);
    const note = lastUpdate(run).output;
    expect(note.summary).toContain('**Apply fixes** was refused: @reader does not have write access');
    expect(note.summary).toContain('## lbguard');
    expect(note.title).toBe(run.output.title);
  });

  it('refuses a click by someone who is not a collaborator (404)', async () => {
    // Arrange
    const { gh, probot, run } = await reviewed();

    // Act
    await receive(probot, 'check_run', click(run, 'stranger'), 'delivery-2');

    // Assert
    expect(gh.errors).toEqual([]);
    expect(gitWrites(gh)).toEqual([]);
    expect(lastUpdate(run).output.summary).toContain('@stranger does not have write access');
  });

  it('pushes one commit through the Git Data API with force: false, then says so in the run', async () => {
    // Arrange
    const { gh, r, probot, run } = await reviewed();
    const before = gh.calls.length;

    // Act
    await receive(probot, 'check_run', click(run, 'octocat'), 'delivery-2');

    // Assert
    expect(gh.errors).toEqual([]);
    const calls = gh.calls.slice(before).map((c) => `${c.method} ${new URL(c.url).pathname}`);
    const api = `/repos/${OWNER}/${REPO}`;
    expect(calls.filter((c) => !c.includes('access_tokens') && !c.includes('lbguard.yml'))).toEqual([
      `GET ${api}/collaborators/octocat/permission`,
      `GET ${api}/pulls/7`,
      `GET ${api}/tarball/${HEAD}`,
      `GET /${OWNER}/${REPO}/legacy.tar.gz/${HEAD}`,
      `GET ${api}/git/commits/${HEAD}`,
      `POST ${api}/git/trees`,
      `POST ${api}/git/commits`,
      `PATCH ${api}/git/refs/heads%2Ffix%2Fpods`,
      `PATCH ${api}/check-runs/${run.id}`,
    ]);
    expect(gh.git.trees).toEqual([
      {
        base_tree: `tree-${HEAD}`,
        tree: [{ path: 'calico/pods.yaml', mode: '100644', type: 'blob', content: FIXED }],
      },
    ]);
    const [commit] = gh.git.commits;
    expect(commit!.parents).toEqual([HEAD]);
    expect(commit!.body).not.toHaveProperty('author');
    expect(commit!.body).not.toHaveProperty('committer');
    expect(commit!.message).toBe(
      'Apply lbguard fixes\n\nRules fixed: ippool-cidr\n\n- calico/pods.yaml: ippool-cidr\n',
    );
    expect(gh.git.refUpdates).toEqual([
      { ref: 'heads/fix/pods', sha: commit!.sha, force: false, status: 200 },
    ]);
    expect(r.trees[commit!.sha]!['calico/pods.yaml']).toBe(FIXED);
    expect(lastUpdate(run).output.summary).toContain(`pushed ${commit!.sha.slice(0, 7)} to \`fix/pods\``);
  });

  it('makes no second commit when the button is clicked twice', async () => {
    // Arrange
    const { gh, r, probot, run } = await reviewed();
    await receive(probot, 'check_run', click(run, 'octocat'), 'delivery-2');
    const fixCommit = gh.git.commits[0]!.sha;
    r.compare![`${BASE}...${fixCommit}`] = { mergeBase: MERGE_BASE, files: ['calico/pods.yaml'] };

    // Act: the same run's button again; the branch head is now the fix commit.
    await receive(probot, 'check_run', click(run, 'octocat'), 'delivery-3');

    // Assert
    expect(gh.errors).toEqual([]);
    expect(gh.git.commits).toHaveLength(1);
    expect(gh.git.refUpdates).toHaveLength(1);
    expect(lastUpdate(run).output.summary).toContain(
      `the pull request head moved from ${HEAD.slice(0, 7)} to ${fixCommit.slice(0, 7)}`,
    );
    // The new head was reviewed, clean, and offers nothing more.
    const fresh = gh.runs.find((x) => x.head_sha === fixCommit)!;
    expect(fresh.conclusion).toBe('success');
    expect(lastUpdate(fresh).actions).toBeUndefined();
  });

  it('reviews the new head instead of fixing when someone pushed after the run', async () => {
    // Arrange
    const { gh, r, probot, run } = await reviewed();
    r.trees[OTHER] = WITH_POOL;
    r.pulls![7]!.headSha = OTHER;
    r.compare![`${BASE}...${OTHER}`] = { mergeBase: MERGE_BASE, files: ['calico/pods.yaml'] };

    // Act
    await receive(probot, 'check_run', click(run, 'octocat'), 'delivery-2');

    // Assert
    expect(gh.errors).toEqual([]);
    expect(gitWrites(gh)).toEqual([]);
    expect(lastUpdate(run).output.summary).toContain(`lbguard reviewed ${OTHER.slice(0, 7)} again`);
    const fresh = gh.runs.find((x) => x.head_sha === OTHER)!;
    expect(fresh.conclusion).toBe('failure');
    expect(lastUpdate(fresh).actions).toHaveLength(1);
  });

  it('says the branch moved when someone pushes while the fixes are built, and overwrites nothing', async () => {
    // Arrange: a push lands between reading the PR and moving the branch.
    const { gh, r, probot, run } = await reviewed();
    r.fail = (method, path) => {
      if (method === 'POST' && path.endsWith('/git/commits')) {
        r.trees[OTHER] = WITH_POOL;
        r.pulls![7]!.headSha = OTHER;
      }
      return undefined;
    };

    // Act
    await receive(probot, 'check_run', click(run, 'octocat'), 'delivery-2');

    // Assert
    expect(gh.git.refUpdates).toEqual([
      { ref: 'heads/fix/pods', sha: gh.git.commits[0]!.sha, force: false, status: 422 },
    ]);
    expect(r.pulls![7]!.headSha).toBe(OTHER);
    expect(lastUpdate(run).output.summary).toContain('**Apply fixes** did not push: `fix/pods` moved');
  });

  it('says GitHub refused the branch update when a branch rule answers 422 and the head did not move', async () => {
    // Arrange
    const { gh, r, probot, run } = await reviewed({
      fail: (method, path) => (method === 'PATCH' && path.includes('/git/refs/') ? 422 : undefined),
    });

    // Act
    await receive(probot, 'check_run', click(run, 'octocat'), 'delivery-2');

    // Assert
    const ref = gh.calls.find((c) => c.method === 'PATCH' && c.url.includes('/git/refs/'))!;
    expect(ref.body).toMatchObject({ force: false });
    expect(r.pulls![7]!.headSha).toBe(HEAD);
    expect(lastUpdate(run).output.summary).toContain(
      '**Apply fixes** did not push: GitHub refused to update `fix/pods`',
    );
  });

  it('says in the run when building the fixes fails, and pushes nothing', async () => {
    // Arrange: the review has run; the head's tarball fails on the click.
    const { gh, r, probot, run } = await reviewed();
    r.fail = (method, path) => (method === 'GET' && path.endsWith(`/tarball/${HEAD}`) ? 502 : undefined);

    // Act
    await receive(probot, 'check_run', click(run, 'octocat'), 'delivery-2');

    // Assert
    expect(gh.errors).toEqual([]);
    expect(gitWrites(gh)).toEqual([]);
    expect(lastUpdate(run).output.summary).toContain(
      '**Apply fixes** failed: a GitHub API request failed (HTTP 502)',
    );
  });

  it('ignores a click on another action or another check', async () => {
    // Arrange
    const { gh, probot, run } = await reviewed();
    const before = gh.calls.length;
    const other = click(run, 'octocat');
    other.requested_action = { identifier: 'lgtm' };

    // Act
    await receive(probot, 'check_run', other, 'delivery-2');

    // Assert
    expect(gh.calls.length).toBe(before);
  });
});

describe('suggestions on fork pull requests', () => {
  it('posts one review with a suggestion on the diff line, and none again on a re-run', async () => {
    // Arrange
    const { gh, probot, run } = await reviewed(
      {
        pulls: {
          7: {
            baseSha: BASE,
            headSha: HEAD,
            fork: true,
            files: [{ filename: 'calico/pods.yaml', patch: NEW_FILE_PATCH }],
          },
        },
      },
      true,
    );

    // Act
    await receive(
      probot,
      'pull_request',
      pullRequestPayload('synchronize', { ...PR, fork: true }),
      'delivery-2',
    );

    // Assert
    expect(gh.errors).toEqual([]);
    expect(lastUpdate(run).actions).toBeUndefined();
    expect(gh.reviews).toHaveLength(1);
    const review = gh.reviews[0] as { commit_id: string; event: string; comments: Record<string, unknown>[] };
    expect(review).toMatchObject({ commit_id: HEAD, event: 'COMMENT' });
    expect(review.comments).toHaveLength(1);
    expect(review.comments[0]).toMatchObject({ path: 'calico/pods.yaml', line: 7, side: 'RIGHT' });
    expect(review.comments[0]!.body).toContain('```suggestion\n  cidr: 10.0.0.0/24\n```');
    expect(lastUpdate(run).output.text).toContain('already on the pull request');
  });

  it('keeps an edit outside the diff out of the review and puts it in the run text', async () => {
    // Arrange: the PR's patch shows only the first two lines of the file.
    const patch =
      '@@ -1,2 +1,2 @@\n-apiVersion: projectcalico.org/v3\n+apiVersion: crd.projectcalico.org/v1\n kind: IPPool';

    // Act
    const { gh, run } = await reviewed(
      {
        pulls: {
          7: { baseSha: BASE, headSha: HEAD, fork: true, files: [{ filename: 'calico/pods.yaml', patch }] },
        },
      },
      true,
    );

    // Assert
    expect(gh.errors).toEqual([]);
    expect(gh.reviews).toEqual([]);
    const text = lastUpdate(run).output.text!;
    expect(text).toContain('#### `calico/pods.yaml` (ippool-cidr)');
    expect(text).toContain('-  cidr: 10.0.0.5/24\n+  cidr: 10.0.0.0/24');
  });

  it('suggests instead of offering the button on a same-repository PR with fixes.mode suggest', async () => {
    // Act
    const { gh, run } = await reviewed({ config: 'fixes:\n  mode: suggest\n' });

    // Assert
    expect(gh.errors).toEqual([]);
    expect(lastUpdate(run).actions).toBeUndefined();
    expect(gh.reviews).toHaveLength(1);
  });
});
