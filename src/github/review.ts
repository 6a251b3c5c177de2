// The review flow shared by the App and token mode: only the client and the config reader differ.
import { baseOptions, compareAnalyses } from '../compare.ts';
import { CONFIG_PATH, type ParsedConfig } from '../config.ts';
import type { Analysis } from '../engine.ts';
import type { Finding } from '../findings.ts';
import { type ReviewedFinding, renderCheckRun } from '../render/checkrun.ts';
import type { RoutesSectionInput } from '../render/checkrun-routes.ts';
import { diffPeerCounts, diffRoutes } from '../route-diff.ts';
import { complete, completeNeutral, openRun, type RunHandle, RunTaken } from './checkrun.ts';
import { chooseConfig, configFromObject, type RepoConfig } from './config.ts';
import { offerFixes } from './fixes.ts';
import { AnalysisFailed, type Analyzer, inProcess } from './isolate.ts';
import { countRequests, type GitHub } from './octokit.ts';
import { redact } from './redact.ts';
import { isReviewedPath, type Tree, TreeTooLarge } from './tarball.ts';
import { fetchTree, type RepoRef } from './tree.ts';

/** GitHub's compare API lists at most this many files; a full list may mean more were cut. */
export const COMPARE_FILE_LIMIT = 300;

export type ReviewTarget = RepoRef & {
  headSha: string;
  /**
   * A pull request: its number and the base branch's SHA (the merge base comes from the compare
   * API). Absent for a push: the commit is checked on its own and every finding counts.
   */
  pr?: {
    number: number;
    baseSha: string;
    /** The head branch lives in this repository (fixes can be committed); undefined: unknown (token mode). */
    sameRepo?: boolean;
  };
  /** Files the event says changed (push payloads carry them); PRs ask the compare API. */
  changed?: string[];
  /** A rerun button: always review, with a fresh run. */
  rerun?: boolean;
  /** A push to the default branch: `push.enabled: false` turns these off. */
  push?: boolean;
};

export type Logger = {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
};

export type ReviewDeps = {
  octokit: GitHub;
  /** The config from the default branch (readRepoConfig), and whether the repository has its own. */
  readConfig: () => Promise<RepoConfig>;
  log: Logger;
  /**
   * Give up after this long and end the run neutral, before the host kills the process (Vercel's
   * maxDuration) and leaves the run in progress.
   */
  timeoutMs?: number;
  /** Where analyses run: a worker per analysis in the App's server (isolate.ts), else this thread. */
  analyze?: Analyzer;
};

export type ReviewResult = {
  /** duplicate: another delivery (another instance) is reviewing the same commit; this one posted nothing. */
  outcome: 'silent' | 'duplicate' | 'success' | 'failure' | 'neutral';
  reason?: string;
  /** The check run's title, for token mode to print. */
  title?: string;
  /** Errors and warnings that count (new ones, or all under failOn: all): token mode's step outputs. */
  counted?: { errors: number; warnings: number };
  checkRunId?: number;
  requests: number;
  files: number;
  findings: number;
};

const short = (sha: string) => sha.slice(0, 7);

/** The repository's web address, from the API address the client talks to (github.com or a GHES host). */
function webUrl(octokit: GitHub, where: RepoRef): string {
  const api = octokit.request.endpoint.DEFAULTS.baseUrl;
  const web = api === 'https://api.github.com' ? 'https://github.com' : api.replace(/\/api\/v3\/?$/, '');
  return `${web}/${where.owner}/${where.repo}`;
}

// Reviews of one commit run one after another in a process, so concurrent deliveries (the PR's
// synchronize and a redelivery, say) find the run the first one created instead of making two.
const inFlight = new Map<string, Promise<unknown>>();

export function runReview(deps: ReviewDeps, t: ReviewTarget): Promise<ReviewResult> {
  const key = `${t.owner}/${t.repo}@${t.headSha}`.toLowerCase();
  const previous = inFlight.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => reviewOnce(deps, t));
  inFlight.set(key, next);
  void next.then(
    () => inFlight.get(key) === next && inFlight.delete(key),
    () => inFlight.get(key) === next && inFlight.delete(key),
  );
  return next;
}

async function reviewOnce(deps: ReviewDeps, t: ReviewTarget): Promise<ReviewResult> {
  const started = performance.now();
  const { octokit } = deps;
  const counter = countRequests(octokit);
  const where: RepoRef = { owner: t.owner, repo: t.repo };
  let run: RunHandle | undefined;
  let files = 0;
  const result = (r: Omit<ReviewResult, 'requests' | 'files'>): ReviewResult => {
    const out = { ...r, requests: counter.count, files };
    deps.log.info(
      {
        repo: `${t.owner}/${t.repo}`,
        pr: t.pr?.number,
        headSha: t.headSha,
        outcome: out.outcome,
        files: out.files,
        findings: out.findings,
        requests: out.requests,
        durationMs: Math.round(performance.now() - started),
      },
      'lbguard review',
    );
    return out;
  };
  const open = async () => {
    run ??= await openRun(octokit, {
      ...where,
      headSha: t.headSha,
      ...(t.pr ? { externalId: String(t.pr.number) } : {}),
      fresh: t.rerun === true,
      // A run this recent that is not finished is another instance's review still within its time.
      ...(deps.timeoutMs ? { busyForMs: deps.timeoutMs + 30_000 } : {}),
    });
    return run;
  };

  // Set when the review ran out of time: the late work must not overwrite the neutral result.
  let abandoned = false;
  // Stops a download or an analysis still running when the review gives up.
  const stop = new AbortController();
  const work = async (): Promise<ReviewResult> => {
    const { merged, own: hasConfig, problem } = await deps.readConfig();
    const preliminary: ParsedConfig = configFromObject(merged);
    if (t.push && !preliminary.config.pushEnabled)
      return result({ outcome: 'silent', reason: 'push.enabled is false', findings: 0 });
    // A repository with its own config file has opted in: show the run at once, so that even a
    // failure of the very next request ends in a visible neutral run. Without one, the head tree
    // decides whether this repository is ours to check at all.
    if (hasConfig || t.rerun) await open();

    let mergeBase: string | undefined;
    let changed = t.changed;
    let truncated = false;
    if (t.pr) {
      const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
        ...where,
        basehead: `${t.pr.baseSha}...${t.headSha}`,
      });
      mergeBase = data.merge_base_commit.sha;
      changed = (data.files ?? []).flatMap((f) => [
        f.filename,
        ...(f.previous_filename ? [f.previous_filename] : []),
      ]);
      truncated = (data.files?.length ?? 0) >= COMPARE_FILE_LIMIT;
    }
    const relevant = truncated || changed === undefined || changed.some(isReviewedPath);
    if (!relevant && !t.rerun) {
      // Nothing the engine reads changed, so head and base give the same findings: no download.
      if (!hasConfig)
        return result({ outcome: 'silent', reason: 'no manifest or config changed', findings: 0 });
      const r = await open();
      await complete(octokit, r, {
        conclusion: 'success',
        title: 'No manifest or config file changed',
        summary: `## lbguard\n\nNo manifest or config file changed in ${short(t.headSha)}; nothing to check.\n`,
        annotations: [],
        omitted: 0,
        counted: { errors: 0, warnings: 0 },
      });
      return result({
        outcome: 'success',
        checkRunId: r.id,
        findings: 0,
        title: 'No manifest or config file changed',
      });
    }
    const limits = preliminary.config.limits;
    const head = await fetchTree(octokit, where, t.headSha, limits, stop.signal);
    files = head.files.length;
    const config = chooseConfig(head.files, merged, problem, preliminary);
    const analyze = deps.analyze ?? inProcess;
    const headAnalysis = await analyze(
      head.files,
      { config: config.config, configReports: config.reports },
      stop.signal,
    );
    if (!run && !watches(headAnalysis, head)) {
      return result({ outcome: 'silent', reason: 'no watched resource and no config', findings: 0 });
    }
    await open();

    let context = `Checked ${short(t.headSha)} (${head.files.length} manifest files read).`;
    let base: Tree | undefined;
    if (mergeBase) {
      base = await fetchTree(octokit, where, mergeBase, limits, stop.signal);
      files += base.files.length;
      context = `Compared ${short(t.headSha)} with the merge base ${short(mergeBase)} (${head.files.length} manifest files read).`;
    }
    // The one comparison the CLI's --base uses too: the base is read with the head's config.
    const options = { config: config.config, configReports: config.reports };
    const baseAnalysis = base && (await analyze(base.files, baseOptions(options), stop.signal));
    const compared = compareAnalyses(headAnalysis, baseAnalysis, config.config);
    const { findings } = compared;
    const routes: RoutesSectionInput | undefined = compared.base && {
      head: headAnalysis.routes,
      changes: diffRoutes(headAnalysis.routes, compared.base.routes),
      peerChanges: diffPeerCounts(headAnalysis.routes, compared.base.routes),
    };
    const reviewed = withCauses(findings, changed ?? []);
    const out = renderCheckRun({
      findings: reviewed,
      pools: headAnalysis.pools,
      scopes: headAnalysis.scopes,
      countAll: !mergeBase || config.config.failOn === 'all',
      context,
      ...(routes ? { routes } : {}),
      links: { repository: webUrl(octokit, where), sha: t.headSha },
      suppressed: headAnalysis.summary.suppressed,
      gaps: headAnalysis.summary.gaps,
    });
    const offer = t.pr
      ? await offerFixes(
          octokit,
          {
            ...where,
            headSha: t.headSha,
            prNumber: t.pr.number,
            sameRepo: t.pr.sameRepo,
            mode: config.config.fixes.mode,
            findings,
            headFiles: head.files,
          },
          deps.log,
        )
      : {};
    const r = await open();
    if (abandoned) throw new ReviewTimeout('abandoned after the time limit');
    await complete(octokit, r, { ...out, ...offer }, () => abandoned);
    return result({
      outcome: out.conclusion,
      checkRunId: r.id,
      findings: reviewed.length,
      title: out.title,
      counted: out.counted,
    });
  };

  const running = work();
  try {
    return await withTimeout(running, deps.timeoutMs);
  } catch (e) {
    if (e instanceof RunTaken) return result({ outcome: 'duplicate', reason: e.message, findings: 0 });
    if (e instanceof ReviewTimeout) {
      abandoned = true;
      stop.abort(e);
      // A run update already in flight would land after the neutral result and undo it: let the
      // work reach its next check (complete() stops there), for a short while at most.
      await Promise.race([running.catch(() => undefined), sleep(SETTLE_MS)]);
    }
    const reason = reasonOf(e);
    deps.log.warn({ repo: `${t.owner}/${t.repo}`, headSha: t.headSha, reason }, 'lbguard review failed');
    // A tree over the caps is a clear answer, worth a run even before we knew the repo was ours.
    if (!run && (e instanceof TreeTooLarge || e instanceof AnalysisFailed))
      await open().catch(() => undefined);
    if (!run) throw e;
    await completeNeutral(octokit, run, reason);
    return result({ outcome: 'neutral', reason, checkRunId: run.id, findings: 0 });
  }
}

/** Does the tree hold anything lbguard is about? (An unrelated repository gets no run at all.) */
function watches(a: Analysis, tree: Tree): boolean {
  return a.summary.resources > 0 || a.findings.length > 0 || tree.files.some((f) => f.path === CONFIG_PATH);
}

/**
 * A new finding in a file the PR did not touch was caused by something it did touch: name the
 * changed files among the finding's related places, else the changed manifest files in its scope.
 */
export function withCauses(findings: readonly Finding[], changed: readonly string[]): ReviewedFinding[] {
  if (changed.length === 0) return [...findings];
  const touched = new Set(changed);
  // Scopes are not tracked per file here; the changed manifests are the honest candidates.
  const candidates = changed.filter(isReviewedPath).slice(0, 5);
  return findings.map((f) => {
    if (f.state === 'existing') return f;
    if (touched.has(f.file)) return { ...f, inChangedFile: true };
    const related = [...new Set((f.related ?? []).map((r) => r.file).filter((p) => touched.has(p)))];
    if (related.length) return { ...f, causedBy: related };
    return candidates.length ? { ...f, causedBy: candidates } : f;
  });
}

export class ReviewTimeout extends Error {}

/** How long a timed-out review waits for its in-flight request before completing the run neutral. */
const SETTLE_MS = 3000;
const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms).unref());

function withTimeout<T>(work: Promise<T>, ms: number | undefined): Promise<T> {
  if (!ms) return work;
  let timer: NodeJS.Timeout | undefined;
  const shown = ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ReviewTimeout(`the review took longer than ${shown}`)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

export function reasonOf(e: unknown): string {
  if (e instanceof ReviewTimeout)
    return `${e.message}; re-run it, or raise maxDuration for large repositories.`;
  if (e instanceof AnalysisFailed) return `${e.message}.`;
  if (e instanceof TreeTooLarge) return `the repository is too large to check: ${e.message}.`;
  const status = (e as { status?: unknown })?.status;
  // Upstream error bodies can echo request headers: the run is public, so redact and shorten.
  const msg = redact(e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e));
  return typeof status === 'number'
    ? `a GitHub API request failed (HTTP ${status}): ${msg}`
    : `the review failed: ${msg}`;
}
