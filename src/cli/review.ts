// `lbguard review --repo OWNER/NAME --pr N`: token mode. The same review the App runs, with a token
// from the environment instead of an App installation, for organisations that will not install an
// App (action.yml wraps it). Exit 0: no failing finding; 1: the run failed; 2: usage, access or I/O.
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { readRepoConfig } from '../github/config.ts';
import { type GitHub, statusOf } from '../github/octokit.ts';
import { type Logger, type ReviewTarget, runReview } from '../github/review.ts';
import type { ReviewValues } from './commands.ts';
import { type Io, setActionsOutputs } from './main.ts';

export type ReviewEnv = Record<string, string | undefined>;

/** Octokit with GitHub's recommended retry (5xx, network) and throttling (rate limits, 1 s between writes). */
const TokenOctokit = Octokit.plugin(retry, throttling);

/** Retries of one request after a rate limit before giving up (each waits as long as GitHub says). */
const RATE_LIMIT_RETRIES = 2;

export type ReviewTuning = {
  /** Milliseconds per second of GitHub's retry-after (tests shrink it). Default 1000. */
  retryAfterBaseMs?: number;
  /** Throttle requests as GitHub recommends (tests of other things turn it off). Default true. */
  throttle?: boolean;
};

export async function review(
  values: ReviewValues,
  io: Io,
  env: ReviewEnv = io.env ?? process.env,
  tuning: ReviewTuning = {},
): Promise<number> {
  const [owner, repo, ...extra] = (values.repo ?? env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo || extra.length) return usage(io, 'give --repo OWNER/NAME');
  const pr = values.pr === undefined ? undefined : Number(values.pr);
  if (pr !== undefined && !(Number.isInteger(pr) && pr > 0))
    return usage(io, `--pr must be a pull request number, not "${values.pr}"`);
  if ((pr === undefined) === (values.sha === undefined))
    return usage(io, 'give exactly one of --pr N or --sha SHA');
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  if (!token) {
    io.err('lbguard: set GITHUB_TOKEN (a token with checks: write, contents: read, pull-requests: read)\n');
    return 2;
  }

  const quiet = () => {};
  const base = tuning.retryAfterBaseMs ?? 1000;
  const onLimit =
    (kind: string) =>
    (retryAfter: number, options: { method?: string; url?: string }, _o: unknown, retryCount: number) => {
      const again = retryCount < RATE_LIMIT_RETRIES;
      io.err(
        `lbguard: GitHub ${kind} on ${options.method} ${options.url}; ${again ? `retrying in ${retryAfter} s` : 'giving up'}\n`,
      );
      return again;
    };
  const octokit = new TokenOctokit({
    auth: token,
    baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
    userAgent: 'lbguard',
    // Expected 404s (no config file) are not news; real failures are explained below.
    log: { debug: quiet, info: quiet, warn: (m: string) => io.err(`lbguard: ${m}\n`), error: quiet },
    retry: { retryAfterBaseValue: base },
    throttle: {
      enabled: tuning.throttle ?? true,
      retryAfterBaseValue: base,
      onRateLimit: onLimit('rate limit'),
      onSecondaryRateLimit: onLimit('secondary rate limit'),
    },
  });
  const log: Logger = {
    info: (obj, msg) => io.err(`${JSON.stringify({ level: 'info', msg, ...obj })}\n`),
    warn: (obj, msg) => io.err(`${JSON.stringify({ level: 'warn', msg, ...obj })}\n`),
  };
  try {
    let target: ReviewTarget = { owner, repo, headSha: values.sha ?? '' };
    if (pr !== undefined) {
      const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: pr });
      target = { owner, repo, headSha: data.head.sha, pr: { number: pr, baseSha: data.base.sha } };
    }
    const result = await runReview(
      {
        octokit: octokit satisfies GitHub,
        // The App's own lookup: the repository, then the org's .github repo, following _extends.
        readConfig: () => readRepoConfig(octokit, { owner, repo }),
        log,
      },
      target,
    );
    if (result.outcome === 'duplicate') {
      io.out(`lbguard: another review of this commit is running (${result.reason})\n`);
      return 0;
    }
    if (result.outcome === 'silent') {
      io.out(`lbguard: nothing to check (${result.reason})\n`);
      return 0;
    }
    io.out(`lbguard: ${result.outcome}: ${result.title ?? result.reason ?? ''}\n`);
    setActionsOutputs(env, {
      'new-errors': result.counted?.errors ?? 0,
      'new-warnings': result.counted?.warnings ?? 0,
      conclusion: result.outcome,
    });
    if (result.outcome === 'neutral') return 2;
    return result.outcome === 'failure' ? 1 : 0;
  } catch (e) {
    io.err(`lbguard: ${explain(e, token)}\n`);
    return 2;
  }
}

/** Personal access tokens (classic and fine-grained) never create check runs: only Apps, and a workflow's GITHUB_TOKEN, do. */
const isPersonalToken = (token: string) => /^(ghp_|github_pat_)/.test(token);

const CHECK_FORMATS =
  'lbguard check --format github (annotations) or --format sarif (code scanning), or the action in mode annotations or sarif';

function explain(e: unknown, token: string): string {
  const status = statusOf(e);
  const url = (e as { request?: { url?: string } }).request?.url ?? '';
  if ((status === 403 || status === 404) && url.includes('/check-runs')) {
    if (isPersonalToken(token)) {
      return `a personal access token cannot create check runs (HTTP ${status}): GitHub lets only Apps and a workflow's GITHUB_TOKEN do that. Use the workflow's GITHUB_TOKEN with checks: write, install the lbguard App, or report without a check run: ${CHECK_FORMATS}.`;
    }
    return `the token cannot create check runs (HTTP ${status}). Give it the checks: write permission (in a workflow: \`permissions: { checks: write, contents: read, pull-requests: read }\`); a fork PR's workflow token is read-only, so there use ${CHECK_FORMATS}.`;
  }
  if (status === 401) return 'GitHub rejected the token (HTTP 401): check GITHUB_TOKEN.';
  if (status === 404)
    return `not found (HTTP 404) at ${url}: check --repo, --pr and the token's repository access.`;
  return e instanceof Error ? e.message.split('\n')[0]! : String(e);
}

function usage(io: Io, message: string): number {
  io.err(`lbguard: ${message}\n(lbguard review --help shows its usage)\n`);
  return 2;
}
