// Two deliveries of one commit on two instances (Vercel runs each in its own process, so the
// in-process queue in review.ts cannot see the other): GitHub's own list of runs is the lock.
import { Octokit } from '@octokit/rest';
import { afterEach, describe, expect, it } from 'vitest';
import { openRun, RunTaken } from '../../src/github/checkrun.ts';
import { runReview } from '../../src/github/review.ts';
import { BROKEN, GOOD, sha } from '../app/trees.ts';
import { fakeGitHub, type StoredRun } from './fake.ts';

const HEAD = sha('a');
const BASE = sha('b');
const MERGE_BASE = sha('c');
const where = { owner: 'acme', repo: 'infra' };

let stop = () => {};
afterEach(() => stop());

const unfinished = (startedAt: Date): StoredRun => ({
  id: 900,
  name: 'lbguard',
  head_sha: HEAD,
  external_id: '12',
  status: 'in_progress',
  conclusion: null,
  started_at: startedAt.toISOString(),
  output: { title: null, summary: null, annotations_count: 0 },
  annotations: [],
  updates: [],
});

function repo(runs: StoredRun[] = []) {
  const gh = fakeGitHub({
    ...where,
    trees: { [HEAD]: BROKEN, [MERGE_BASE]: GOOD },
    compare: { [`${BASE}...${HEAD}`]: { mergeBase: MERGE_BASE, files: ['purelb/servicegroups.yaml'] } },
    runs,
  });
  stop = gh.stop;
  return gh;
}

const octokit = () => new Octokit({ auth: 'x', retry: { enabled: false } });
const logs: string[] = [];
const log = { info: (o: object) => logs.push(JSON.stringify(o)), warn: () => {} };
const target = { ...where, headSha: HEAD, pr: { number: 12, baseSha: BASE, sameRepo: true } };
const noConfig = async () => ({ merged: null, own: false });

describe('one run per commit across instances', () => {
  it('completes the older of two runs created at once as skipped, and lets the newer one go on', async () => {
    // Arrange: two instances, each with its own client (no shared in-process state).
    const gh = repo();

    // Act
    const results = await Promise.allSettled([
      openRun(octokit(), { ...where, headSha: HEAD, fresh: true }),
      openRun(octokit(), { ...where, headSha: HEAD, fresh: true }),
    ]);

    // Assert
    const kept = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.id] : []));
    const stopped = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(gh.runs).toHaveLength(2);
    const [older, newer] = [...gh.runs].sort((a, b) => a.id - b.id);
    expect(kept).toEqual([newer!.id]);
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toBeInstanceOf(RunTaken);
    expect(older).toMatchObject({ status: 'completed', conclusion: 'skipped' });
    expect(older!.output.summary).toContain(`run ${newer!.id}`);
    expect(newer).toMatchObject({ status: 'in_progress', conclusion: null });
  });

  it('leaves a recent unfinished run to the instance reviewing it: no second run, no download', async () => {
    // Arrange: the repository has a config file, so the run is looked up before any download.
    const gh = repo([unfinished(new Date())]);
    const ownConfig = async () => ({ merged: {}, own: true });

    // Act
    const result = await runReview({ octokit: octokit(), readConfig: ownConfig, log }, target);

    // Assert
    expect(result.outcome).toBe('duplicate');
    expect(gh.runs).toHaveLength(1);
    expect(gh.runs[0]!.updates).toEqual([]);
    expect(gh.calls.filter((c) => c.method !== 'GET' || c.url.includes('codeload'))).toEqual([]);
    expect(logs.at(-1)).toContain('"outcome":"duplicate"');
  });

  it('takes over a run left unfinished longer than a review may take, and completes it', async () => {
    // Arrange: started an hour ago; its instance died without completing it.
    const gh = repo([unfinished(new Date(Date.now() - 3_600_000))]);

    // Act
    const result = await runReview(
      { octokit: octokit(), readConfig: noConfig, log, timeoutMs: 50_000 },
      target,
    );

    // Assert
    expect(result).toMatchObject({ outcome: 'failure', checkRunId: 900 });
    expect(gh.runs).toHaveLength(1);
    expect(gh.runs[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
  });
});
