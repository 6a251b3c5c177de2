// One pull request's analysis cannot take the App down: it runs in a worker with a heap limit.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { analyze as analyzeHere } from '../../src/engine.ts';
import { isolated } from '../../src/github/isolate.ts';
import { OWNER, pullRequestPayload, REPO, receive, testProbot } from '../app/harness.ts';
import { BROKEN, GOOD, sha } from '../app/trees.ts';
import { fakeGitHub } from '../github/fake.ts';

const pool = (i: number) =>
  `apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata:\n  name: p${i}\nspec:\n  cidr: 10.${(i >> 8) & 255}.${i & 255}.0/24\n  disabled: true\n`;
/** About 1 MB of IPPools per file: dense manifests cost the engine tens of MB per MB. */
const denseFile = (f: number) => Array.from({ length: 7000 }, (_, i) => pool(f * 7000 + i)).join('---\n');
const DENSE = { ...GOOD, 'calico/a.yaml': denseFile(1), 'calico/b.yaml': denseFile(2) };

describe('analysis in a worker', () => {
  it('a worker out of memory rejects with the reason; a small analysis beside it completes', {
    timeout: 120_000,
  }, async () => {
    // Arrange
    const analyze = isolated({ maxHeapMb: 40, concurrency: 2 });
    const files = (t: Record<string, string>) =>
      Object.entries(t).map(([path, s]) => ({ path, bytes: Buffer.from(s) }));

    // Act
    const [dense, small] = await Promise.allSettled([analyze(files(DENSE), {}), analyze(files(BROKEN), {})]);

    // Assert
    expect(dense.status === 'rejected' && String(dense.reason)).toMatch(/ran out of memory \(over 40 MB\)/);
    expect(small.status === 'fulfilled' && small.value.summary.errors).toBe(1);
    // The same findings as in this thread: the App and the CLI still agree.
    expect(small.status === 'fulfilled' && small.value.findings).toEqual(
      analyzeHere(files(BROKEN), {}).findings,
    );
  });
});

describe('the App with a dense PR and a small PR at once', () => {
  let stop = () => {};
  afterEach(() => stop());
  beforeAll(() => {
    process.env.LBGUARD_MAX_HEAP_MB = '40';
  });
  afterAll(() => {
    delete process.env.LBGUARD_MAX_HEAP_MB;
  });

  it('ends the dense one neutral with the reason and completes the other', { timeout: 120_000 }, async () => {
    // Arrange
    const [dense, small, base, mergeBase] = [sha('a'), sha('b'), sha('c'), sha('d')];
    const gh = fakeGitHub({
      owner: OWNER,
      repo: REPO,
      trees: { [dense]: DENSE, [small]: BROKEN, [mergeBase]: GOOD },
      compare: {
        [`${base}...${dense}`]: { mergeBase, files: ['calico/a.yaml', 'calico/b.yaml'] },
        [`${base}...${small}`]: { mergeBase, files: ['purelb/servicegroups.yaml'] },
      },
      config: null,
    });
    stop = gh.stop;
    const probot = await testProbot();

    // Act
    await Promise.all([
      receive(
        probot,
        'pull_request',
        pullRequestPayload('opened', { number: 7, headSha: dense, baseSha: base }),
      ),
      receive(
        probot,
        'pull_request',
        pullRequestPayload('opened', { number: 8, headSha: small, baseSha: base }),
      ),
    ]);

    // Assert
    expect(gh.errors).toEqual([]);
    const byHead = Object.fromEntries(gh.runs.map((r) => [r.head_sha, r]));
    expect(byHead[small]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(byHead[dense]).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(byHead[dense]!.output.summary).toMatch(/ran out of memory/);
  });
});
