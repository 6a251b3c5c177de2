// The check run, keyed by head SHA and name: found or created once, then completed. A run is
// never left in progress: every path through the review ends in `complete` or `completeNeutral`.
import { type Annotation, type CheckRunOutput, clip, LIMITS, neutralOutput } from '../render/checkrun.ts';
import type { GitHub } from './octokit.ts';
import { withRateLimitRetry } from './rate-limit.ts';
import type { RepoRef } from './tree.ts';

export const CHECK_NAME = 'lbguard';

export type RunHandle = RepoRef & {
  id: number;
  /** Annotations already on the run (a redelivery must not post them twice). */
  hasAnnotations: boolean;
};

export type OpenRun = RepoRef & {
  headSha: string;
  /** The PR number, because fork PRs arrive with an empty `pull_requests` on rerun events. */
  externalId?: string;
  /** A rerun button asks for a fresh run; anything else reuses the run already there. */
  fresh?: boolean;
  /**
   * An unfinished run started less than this long ago belongs to a review still running elsewhere
   * (another Vercel instance got the other delivery); an older one was abandoned and is taken over.
   */
  busyForMs?: number;
};

/** Another delivery is reviewing this commit (on another instance): this one stops, posting nothing. */
export class RunTaken extends Error {}

const DEFAULT_BUSY_MS = 10 * 60_000;

/**
 * Finds or creates the run for a head SHA. The in-process queue in review.ts covers one instance;
 * across instances GitHub itself is the lock: an unfinished recent run is left to its reviewer,
 * and after creating a run we list again, and when a newer unfinished run exists (a concurrent
 * delivery created it), ours is completed as skipped and this review stops. The newest run is the
 * one that finishes because GitHub shows, and branch protection reads, the latest run of a name.
 */
export async function openRun(octokit: GitHub, o: OpenRun): Promise<RunHandle> {
  const where = { owner: o.owner, repo: o.repo };
  if (!o.fresh) {
    const { data } = await octokit.rest.checks.listForRef({
      ...where,
      ref: o.headSha,
      check_name: CHECK_NAME,
      filter: 'latest',
    });
    const existing = data.check_runs.find((r) => r.name === CHECK_NAME);
    if (existing) {
      if (existing.status !== 'completed' && startedWithin(existing.started_at, o.busyForMs)) {
        throw new RunTaken(`run ${existing.id} is already reviewing ${o.headSha.slice(0, 7)}`);
      }
      return { ...where, id: existing.id, hasAnnotations: (existing.output?.annotations_count ?? 0) > 0 };
    }
  }
  // Many PRs at once hit GitHub's secondary limit here first; without a run nothing shows at all.
  const { data } = await withRateLimitRetry(() =>
    octokit.rest.checks.create({
      ...where,
      name: CHECK_NAME,
      head_sha: o.headSha,
      status: 'in_progress',
      started_at: new Date().toISOString(),
      ...(o.externalId ? { external_id: o.externalId } : {}),
    }),
  );
  const mine: RunHandle = { ...where, id: data.id, hasAnnotations: false };
  const { data: after } = await octokit.rest.checks.listForRef({
    ...where,
    ref: o.headSha,
    check_name: CHECK_NAME,
    filter: 'all',
    // Reruns pile up runs on one commit; the concurrent one must not fall off the first page.
    per_page: 100,
  });
  const newer = after.check_runs.find(
    (r) => r.name === CHECK_NAME && r.id > mine.id && r.status !== 'completed',
  );
  if (newer) {
    const reason = `A concurrent delivery is reviewing this commit in run ${newer.id}; this duplicate stopped.`;
    await octokit.rest.checks.update({
      ...where,
      check_run_id: mine.id,
      status: 'completed',
      conclusion: 'skipped',
      completed_at: new Date().toISOString(),
      output: { title: 'Superseded by a concurrent review', summary: reason },
    });
    throw new RunTaken(`run ${newer.id} is already reviewing ${o.headSha.slice(0, 7)}`);
  }
  return mine;
}

function startedWithin(startedAt: string | null | undefined, ms = DEFAULT_BUSY_MS): boolean {
  const t = startedAt ? Date.parse(startedAt) : Number.NaN;
  return Number.isFinite(t) && Date.now() - t < ms;
}

/**
 * Sends annotations in batches of 50 on in-progress updates, then the conclusion with the last
 * batch, so the run turns completed only once everything is on it.
 */
export async function complete(
  octokit: GitHub,
  run: RunHandle,
  out: CheckRunOutput,
  /** True once the review gave up (its time ran out and the run was completed neutral). */
  abandoned: () => boolean = () => false,
): Promise<number> {
  const annotations = run.hasAnnotations ? [] : out.annotations;
  const batches: Annotation[][] = [];
  for (let i = 0; i < annotations.length; i += LIMITS.annotationsPerRequest) {
    batches.push(annotations.slice(i, i + LIMITS.annotationsPerRequest));
  }
  const base = { owner: run.owner, repo: run.repo, check_run_id: run.id };
  const output = (batch: Annotation[] | undefined) => ({
    title: out.title,
    summary: out.summary,
    ...(out.text ? { text: out.text } : {}),
    ...(batch?.length ? { annotations: batch } : {}),
  });
  // A late batch must not turn a run that was completed neutral back to in_progress.
  const check = () => {
    if (abandoned()) throw new Error('the review was abandoned after its time limit');
  };
  for (const batch of batches.slice(0, -1)) {
    check();
    await octokit.rest.checks.update({ ...base, status: 'in_progress', output: output(batch) });
  }
  check();
  await octokit.rest.checks.update({
    ...base,
    status: 'completed',
    conclusion: out.conclusion,
    completed_at: new Date().toISOString(),
    output: output(batches.at(-1)),
    ...(out.actions?.length ? { actions: out.actions } : {}),
  });
  return batches.length || 1;
}

export async function completeNeutral(octokit: GitHub, run: RunHandle, reason: string): Promise<void> {
  const out = neutralOutput(reason);
  await octokit.rest.checks.update({
    owner: run.owner,
    repo: run.repo,
    check_run_id: run.id,
    status: 'completed',
    conclusion: 'neutral',
    completed_at: new Date().toISOString(),
    output: { title: out.title, summary: out.summary },
  });
}

export type RunOutput = { title: string; summary: string; text?: string | null };

const NOTE = /^<!-- lbguard:note -->[\s\S]*?<!-- \/lbguard:note -->\n\n/;

/**
 * Puts a note (what happened to a click on "Apply fixes") at the top of a finished run's summary,
 * replacing an earlier note, and keeps the rest of the run as it was.
 */
export async function noteOnRun(
  octokit: GitHub,
  run: RepoRef & { id: number },
  previous: RunOutput,
  note: string,
): Promise<void> {
  const rest = previous.summary.replace(NOTE, '');
  const summary = clip(`<!-- lbguard:note -->\n> ${note}\n<!-- /lbguard:note -->\n\n${rest}`, LIMITS.summary);
  await octokit.rest.checks.update({
    owner: run.owner,
    repo: run.repo,
    check_run_id: run.id,
    output: { title: previous.title, summary, ...(previous.text ? { text: previous.text } : {}) },
  });
}
