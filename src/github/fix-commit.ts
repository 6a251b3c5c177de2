// A click on "Apply fixes": one commit on the PR branch through the Git Data API. Every way it can
// go wrong ends in a note on the run, never a silent failure, and never a forced push: updateRef
// with force: false makes GitHub refuse when the branch moved since the head we fixed.
import { analyze } from '../engine.ts';
import { type FileChange, planUntilStable } from '../fixes/plan.ts';
import { textReader } from '../manifests/load.ts';
import { noteOnRun, type RunOutput } from './checkrun.ts';
import { chooseConfig, configFromObject, type RepoConfig } from './config.ts';
import { markedFingerprints } from './fixes.ts';
import { type GitHub, statusOf } from './octokit.ts';
import { type ReviewTarget, reasonOf } from './review.ts';
import { fetchTree, type RepoRef } from './tree.ts';

export type Click = RepoRef & {
  run: { id: number; headSha: string; output: RunOutput };
  /** From the run's external_id (fork PRs have no pull_requests on these events). */
  prNumber: number | undefined;
  clicker: string;
};

export type ClickDeps = {
  octokit: GitHub;
  readConfig: () => Promise<RepoConfig>;
  /** Review another head (the branch moved before the click). */
  review: (t: ReviewTarget) => Promise<unknown>;
};

export type ClickOutcome = {
  outcome: 'pushed' | 'refused' | 'moved' | 'conflict' | 'nothing' | 'fork' | 'failed';
  /** What the run now says at the top of its summary. */
  reason: string;
  /** The fix commit, when pushed. */
  sha?: string;
};

const WRITERS = new Set(['admin', 'maintain', 'write']);
const short = (sha: string) => sha.slice(0, 7);

export async function applyFixesClick(deps: ClickDeps, click: Click): Promise<ClickOutcome> {
  const say = async (o: ClickOutcome): Promise<ClickOutcome> => {
    await noteOnRun(
      deps.octokit,
      { owner: click.owner, repo: click.repo, id: click.run.id },
      click.run.output,
      o.reason,
    );
    return o;
  };
  try {
    return await handleClick(deps, click, say);
  } catch (e) {
    // The person who clicked is looking at the run: tell them there, whatever went wrong.
    const reason = `**Apply fixes** failed: ${reasonOf(e).replace(/\.?$/, '.')} Click again, or run \`lbguard fix\` locally.`;
    return say({ outcome: 'failed', reason }).catch(() => ({ outcome: 'failed', reason }));
  }
}

async function handleClick(
  deps: ClickDeps,
  click: Click,
  say: (o: ClickOutcome) => Promise<ClickOutcome>,
): Promise<ClickOutcome> {
  const { octokit } = deps;
  const where = { owner: click.owner, repo: click.repo };

  if (!(await canWrite(octokit, where, click.clicker))) {
    return say({
      outcome: 'refused',
      reason: `**Apply fixes** was refused: @${click.clicker} does not have write access to ${click.owner}/${click.repo}. Someone with write access can click it, or run \`lbguard fix\` locally.`,
    });
  }
  if (!click.prNumber) {
    return say({
      outcome: 'nothing',
      reason: '**Apply fixes**: this run belongs to no pull request, so there is no branch to commit to.',
    });
  }
  const { data: pr } = await octokit.rest.pulls.get({ ...where, pull_number: click.prNumber });
  if (pr.head.repo?.full_name?.toLowerCase() !== `${click.owner}/${click.repo}`.toLowerCase()) {
    return say({
      outcome: 'fork',
      reason:
        '**Apply fixes**: the pull request comes from a fork, which the App cannot push to; see the suggestions in the review.',
    });
  }
  if (pr.head.sha !== click.run.headSha) {
    // The branch moved (a push, or the fix commit of an earlier click): fixing the old head would
    // undo or duplicate work, so review the new head instead and let its run offer fixes again.
    await deps.review({
      ...where,
      headSha: pr.head.sha,
      pr: { number: pr.number, baseSha: pr.base.sha, sameRepo: true },
    });
    return say({
      outcome: 'moved',
      reason: `**Apply fixes** did nothing: the pull request head moved from ${short(click.run.headSha)} to ${short(pr.head.sha)} since this run. lbguard reviewed ${short(pr.head.sha)} again; use the button on that run.`,
    });
  }

  const { merged, problem } = await deps.readConfig();
  const fromMerged = configFromObject(merged);
  const head = await fetchTree(octokit, where, pr.head.sha, fromMerged.config.limits);
  const config = chooseConfig(head.files, merged, problem, fromMerged);
  if (config.config.fixes.mode !== 'commit') {
    return say({
      outcome: 'refused',
      reason: `**Apply fixes** is off: \`fixes.mode\` is \`${config.config.fixes.mode}\`.`,
    });
  }
  const options = { config: config.config, configReports: config.reports };
  const before = new Set(analyze(head.files, options).findings.map((f) => f.fingerprint));
  const offered = markedFingerprints(click.run.output.text);
  // The rounds `lbguard fix` makes: the fixes the run offered, then what they expose (a pool
  // made valid that now needs its IPPool), never a pre-existing finding the run did not offer.
  const plan = planUntilStable(
    head.files,
    (files) => analyze(files, options).findings,
    textReader(head.files),
    (f, round) => (round === 0 ? offered.has(f.fingerprint) : !before.has(f.fingerprint)),
  );
  if (plan.changes.length === 0) {
    return say({
      outcome: 'nothing',
      reason: `**Apply fixes**: nothing left to fix at ${short(pr.head.sha)}.`,
    });
  }
  const rules = [...new Set(plan.changes.flatMap((c) => c.rules))].sort();
  let sha: string;
  try {
    sha = await commitChanges(octokit, where, pr.head.sha, pr.head.ref, plan.changes, rules);
  } catch (e) {
    if (statusOf(e) !== 422) throw e;
    // 422 is both "not a fast forward" and a branch rule (protection, required signatures): only
    // the branch's current head tells them apart.
    const { data: now } = await octokit.rest.pulls.get({ ...where, pull_number: click.prNumber });
    if (now.head.sha === pr.head.sha) {
      return say({
        outcome: 'failed',
        reason: `**Apply fixes** did not push: GitHub refused to update \`${pr.head.ref}\` (${reasonOf(e)}). A branch rule may forbid it; run \`lbguard fix\` locally instead.`,
      });
    }
    return say({
      outcome: 'conflict',
      reason: `**Apply fixes** did not push: \`${pr.head.ref}\` moved while the fixes were being built, and lbguard never overwrites a branch. The new head gets its own review.`,
    });
  }
  return say({
    outcome: 'pushed',
    sha,
    reason: `**Apply fixes**: pushed ${short(sha)} to \`${pr.head.ref}\` for @${click.clicker}, fixing ${rules.map((r) => `\`${r}\``).join(', ')}. The new head gets its own review.`,
  });
}

async function canWrite(octokit: GitHub, where: RepoRef, username: string): Promise<boolean> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...where, username });
    return WRITERS.has(data.role_name) || WRITERS.has(data.permission);
  } catch (e) {
    // 404: not a collaborator at all.
    if (statusOf(e) === 404) return false;
    throw e;
  }
}

export function commitMessage(changes: readonly FileChange[], rules: readonly string[]): string {
  const files = changes.map((c) => `- ${c.file}: ${c.rules.join(', ')}`);
  return `Apply lbguard fixes\n\nRules fixed: ${rules.join(', ')}\n\n${files.join('\n')}\n`;
}

/**
 * One commit on top of `head`: the tree carries the new contents inline (no blob requests), the
 * commit has no author or committer so GitHub signs it as the App, and the ref moves only if it
 * still points at `head`.
 */
async function commitChanges(
  octokit: GitHub,
  where: RepoRef,
  head: string,
  branch: string,
  changes: readonly FileChange[],
  rules: readonly string[],
): Promise<string> {
  const { data: parent } = await octokit.rest.git.getCommit({ ...where, commit_sha: head });
  const { data: tree } = await octokit.rest.git.createTree({
    ...where,
    base_tree: parent.tree.sha,
    tree: changes.map((c) => ({ path: c.file, mode: '100644', type: 'blob', content: c.after })),
  });
  const { data: commit } = await octokit.rest.git.createCommit({
    ...where,
    message: commitMessage(changes, rules),
    tree: tree.sha,
    parents: [head],
  });
  await octokit.rest.git.updateRef({ ...where, ref: `heads/${branch}`, sha: commit.sha, force: false });
  return commit.sha;
}
