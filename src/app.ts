// The Probot app: which webhook starts which review. Everything else lives in src/github/review.ts,
// shared with token mode.
import type { ApplicationFunction, Context, Probot } from 'probot';
import { CHECK_NAME } from './github/checkrun.ts';
import { readRepoConfig } from './github/config.ts';
import { applyFixesClick } from './github/fix-commit.ts';
import { type Analyzer, DEFAULT_ISOLATE, inProcess, isolated } from './github/isolate.ts';
import type { GitHub } from './github/octokit.ts';
import {
  checkRunEvent,
  checkSuiteEvent,
  pullRequestEvent,
  pushEvent,
  readPayload,
} from './github/payloads.ts';
import { type ReviewTarget, runReview } from './github/review.ts';
import { APPLY_FIXES } from './render/checkrun.ts';

/**
 * On Vercel the function dies at maxDuration (60 s in vercel.json); stop 10 s before so the run is
 * completed neutral instead of left in progress. LBGUARD_REVIEW_TIMEOUT_MS overrides it.
 */
export function reviewTimeout(env: Record<string, string | undefined> = process.env): number {
  const set = Number(env.LBGUARD_REVIEW_TIMEOUT_MS);
  if (set > 0) return set;
  // Elsewhere a trickled download or a stuck analysis must not leave a run in progress forever.
  return env.VERCEL ? 50_000 : 300_000;
}

/**
 * Analyses in worker threads on a long-lived server (one PR cannot take the process down); in
 * this thread on Vercel, where each invocation is a process of its own. LBGUARD_MAX_HEAP_MB sizes
 * each worker's heap.
 */
const analyzer = (env: Record<string, string | undefined> = process.env): Analyzer => {
  if (env.VERCEL) return inProcess;
  const heap = Number(env.LBGUARD_MAX_HEAP_MB);
  return isolated({
    ...DEFAULT_ISOLATE,
    ...(heap > 0 ? { maxHeapMb: heap } : {}),
    timeoutMs: reviewTimeout(env),
  });
};

// One pool per process: its concurrency limit is process-wide.
let pool: Analyzer | undefined;
const analyzeIn = () => {
  pool ??= analyzer();
  return pool;
};

type AnyContext = Context<'pull_request' | 'check_run' | 'check_suite' | 'push'>;

function review(context: AnyContext, target: ReviewTarget) {
  return runReview(
    {
      octokit: context.octokit satisfies GitHub,
      readConfig: () => readRepoConfig(context.octokit, context.repo()),
      log: context.log,
      timeoutMs: reviewTimeout(),
      analyze: analyzeIn(),
    },
    target,
  );
}

const sameRepo = (head: { repo: { full_name: string } | null }, owner: string, repo: string) =>
  head.repo?.full_name.toLowerCase() === `${owner}/${repo}`.toLowerCase();

/** The PR a run belongs to: its external_id, because fork PRs arrive with no `pull_requests`. */
const prOfRun = (run: {
  external_id: string | null;
  pull_requests: readonly { number: number }[];
}): number | undefined => Number(run.external_id) || run.pull_requests[0]?.number;

/** What a rerun reviews: the PR when there is one (its base from the API), else the bare commit. */
async function rerunTarget(
  context: AnyContext,
  number: number | undefined,
  headSha: string,
): Promise<ReviewTarget> {
  const { owner, repo } = context.repo();
  if (!number) return { owner, repo, headSha, rerun: true };
  const { data } = await context.octokit.rest.pulls.get({ owner, repo, pull_number: number });
  return {
    owner,
    repo,
    headSha,
    pr: { number, baseSha: data.base.sha, sameRepo: sameRepo(data.head, owner, repo) },
    rerun: true,
  };
}

export const app: ApplicationFunction = (probot: Probot) => {
  probot.on(
    [
      'pull_request.opened',
      'pull_request.synchronize',
      'pull_request.reopened',
      'pull_request.ready_for_review',
    ],
    async (context) => {
      const pr = readPayload(pullRequestEvent, context.payload, 'pull_request', context.log)?.pull_request;
      if (!pr) return;
      const { owner, repo } = context.repo();
      // A fork PR's run goes on the base repository at the head SHA (the PR ref makes it reachable).
      await review(context, {
        owner,
        repo,
        headSha: pr.head.sha,
        pr: { number: pr.number, baseSha: pr.base.sha, sameRepo: sameRepo(pr.head, owner, repo) },
      });
    },
  );

  probot.on('check_run.requested_action', async (context) => {
    const p = readPayload(checkRunEvent, context.payload, 'check_run', context.log);
    if (!p) return;
    const run = p.check_run;
    if (run.name !== CHECK_NAME || p.requested_action?.identifier !== APPLY_FIXES.identifier) return;
    const { owner, repo } = context.repo();
    await applyFixesClick(
      {
        octokit: context.octokit satisfies GitHub,
        readConfig: () => readRepoConfig(context.octokit, context.repo()),
        review: (t) => review(context, t),
      },
      {
        owner,
        repo,
        run: {
          id: run.id,
          headSha: run.head_sha,
          output: {
            title: run.output.title ?? CHECK_NAME,
            summary: run.output.summary ?? '',
            text: run.output.text,
          },
        },
        prNumber: prOfRun(run),
        clicker: p.sender.login,
      },
    );
  });

  probot.on('check_run.rerequested', async (context) => {
    const run = readPayload(checkRunEvent, context.payload, 'check_run', context.log)?.check_run;
    if (!run || run.name !== CHECK_NAME) return;
    await review(context, await rerunTarget(context, prOfRun(run), run.head_sha));
  });

  probot.on('check_suite.rerequested', async (context) => {
    const suite = readPayload(checkSuiteEvent, context.payload, 'check_suite', context.log)?.check_suite;
    if (!suite) return;
    const { owner, repo } = context.repo();
    let number = suite.pull_requests[0]?.number;
    if (!number) {
      const { data } = await context.octokit.rest.checks.listForRef({
        owner,
        repo,
        ref: suite.head_sha,
        check_name: CHECK_NAME,
      });
      number = Number(data.check_runs[0]?.external_id) || undefined;
    }
    await review(context, await rerunTarget(context, number, suite.head_sha));
  });

  probot.on('push', async (context) => {
    const p = readPayload(pushEvent, context.payload, 'push', context.log);
    if (!p || p.deleted || p.ref !== `refs/heads/${p.repository.default_branch}`) return;
    const { owner, repo } = context.repo();
    // The payload lists changed files unless the push created the branch or rewrote history.
    const changed =
      p.created || p.forced || p.commits.length === 0
        ? undefined
        : p.commits.flatMap((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])]);
    await review(context, { owner, repo, headSha: p.after, push: true, ...(changed ? { changed } : {}) });
  });
};

export default app;
