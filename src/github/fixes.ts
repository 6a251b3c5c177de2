// What a review does with the fixes of its new findings: offer the "Apply fixes" button (same
// repository, fixes.mode commit), or post one review with ```suggestion blocks (forks, or
// fixes.mode suggest); whatever neither can carry goes into the run's text, ready to copy.
import type { Config } from '../config.ts';
import type { Finding } from '../findings.ts';
import { type FileChange, planFixes } from '../fixes/plan.ts';
import { type SourceFile, textReader } from '../manifests/load.ts';
import { APPLY_FIXES, type CheckRunAction, LIMITS } from '../render/checkrun.ts';
import type { GitHub } from './octokit.ts';
import type { Logger } from './review.ts';
import { copyableChange, marksIn, planSuggestions } from './suggest.ts';
import type { RepoRef } from './tree.ts';

export type FixOffer = { text?: string; actions?: CheckRunAction[] };

export type FixContext = RepoRef & {
  headSha: string;
  prNumber: number;
  /** The PR head is a branch of this repository; undefined when unknown (token mode). */
  sameRepo: boolean | undefined;
  mode: Config['fixes']['mode'];
  findings: readonly Finding[];
  headFiles: readonly SourceFile[];
};

// The findings a click should fix ride along in the run's text: the click's payload carries the
// text back, so the commit fixes exactly what the run offered, with one tarball (the head's).
const FIXES_MARK = /<!-- lbguard:fixes ([0-9a-f,]*) -->/;
const MAX_MARKED = 2000;

export const fixesMark = (findings: readonly Finding[]): string =>
  `<!-- lbguard:fixes ${findings
    .slice(0, MAX_MARKED)
    .map((f) => f.fingerprint)
    .join(',')} -->`;

export function markedFingerprints(text: string | null | undefined): Set<string> {
  const m = FIXES_MARK.exec(text ?? '');
  return new Set((m?.[1] ?? '').split(',').filter(Boolean));
}

export const fixable = (findings: readonly Finding[]): Finding[] =>
  findings.filter((f) => f.state !== 'existing' && f.fix !== undefined);

export async function offerFixes(octokit: GitHub, c: FixContext, log: Logger): Promise<FixOffer> {
  if (c.mode === 'off') return {};
  const wanted = fixable(c.findings);
  const plan = planFixes(wanted, textReader(c.headFiles));
  if (plan.changes.length === 0) return {};
  const mark = fixesMark(wanted);
  if (c.mode === 'commit' && c.sameRepo === true) {
    return {
      actions: [APPLY_FIXES],
      text: copyText(
        mark,
        `## Fixes\n\n**Apply fixes** (above) commits these changes to the pull request branch as one commit.\n`,
        plan.changes,
      ),
    };
  }
  if (c.sameRepo === undefined) {
    return {
      text: copyText(
        mark,
        '## Fixes\n\nThese changes fix new findings; copy them or run `lbguard fix`.\n',
        plan.changes,
      ),
    };
  }
  try {
    const posted = await suggest(octokit, c, plan.changes);
    const intro = [
      '## Fixes\n',
      posted.comments
        ? `${posted.comments} suggestion${posted.comments === 1 ? '' : 's'} posted in a review on the pull request.`
        : '',
      posted.already
        ? `${posted.already} suggestion(s) from an earlier run are already on the pull request.`
        : '',
      posted.leftovers.length
        ? 'These changes are outside the diff (or new files), so they cannot be suggestions; copy them or run `lbguard fix`:\n'
        : '',
    ]
      .filter(Boolean)
      .join('\n');
    return { text: copyText(mark, `${intro}\n`, posted.leftovers) };
  } catch (e) {
    // Suggestions are a convenience: a failure to post them must not cost the review its result.
    log.warn({ repo: `${c.owner}/${c.repo}`, error: (e as Error).message }, 'lbguard suggestions failed');
    return {
      text: copyText(
        mark,
        '## Fixes\n\nThe suggestions could not be posted; copy these changes or run `lbguard fix`:\n',
        plan.changes,
      ),
    };
  }
}

async function suggest(
  octokit: GitHub,
  c: FixContext,
  changes: FileChange[],
): Promise<{ comments: number; already: number; leftovers: FileChange[] }> {
  const where = { owner: c.owner, repo: c.repo, pull_number: c.prNumber };
  const patches = new Map<string, string | undefined>();
  await pages(
    (page) => octokit.rest.pulls.listFiles({ ...where, per_page: PAGE, page }),
    (f) => {
      patches.set(f.filename, f.patch);
    },
  );
  const bodies: string[] = [];
  await pages(
    (page) => octokit.rest.pulls.listReviewComments({ ...where, per_page: PAGE, page }),
    (x) => {
      bodies.push(x.body);
    },
  );
  const posted = marksIn(bodies);
  const rulesOf = new Map(changes.map((ch) => [ch.file, ch.rules]));
  const plan = planSuggestions(changes, patches, posted, (file) => {
    const rules = rulesOf.get(file) ?? [];
    return `**lbguard** suggests this fix (${rules.map((r) => `\`${r}\``).join(', ')}).`;
  });
  if (plan.comments.length) {
    await octokit.rest.pulls.createReview({
      owner: c.owner,
      repo: c.repo,
      pull_number: c.prNumber,
      commit_id: c.headSha,
      event: 'COMMENT',
      body: `lbguard has ${plan.comments.length} suggested fix${plan.comments.length === 1 ? '' : 'es'} for new findings in this pull request.`,
      comments: plan.comments,
    });
  }
  return { comments: plan.comments.length, already: plan.alreadyPosted, leftovers: plan.leftovers };
}

const PAGE = 100;
/** GitHub lists at most 3,000 files of a PR; comments past that many pages are not worth a review's time. */
const MAX_PAGES = 30;

async function pages<T>(
  get: (page: number) => Promise<{ data: T[] }>,
  each: (item: T) => void,
): Promise<void> {
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { data } = await get(page);
    for (const item of data) each(item);
    if (data.length < PAGE) return;
  }
}

/** The run's text: the mark, an introduction, then whole changes while they fit GitHub's limit. */
export function copyText(mark: string, intro: string, changes: readonly FileChange[]): string {
  const budget = LIMITS.summary - 200;
  let text = `${mark}\n${intro}`;
  let shown = 0;
  for (const c of changes) {
    const block = `\n${copyableChange(c)}`;
    if (text.length + block.length > budget) break;
    text += block;
    shown++;
  }
  if (shown < changes.length) {
    text += `\n${changes.length - shown} more changed file(s) do not fit here; run \`lbguard fix\` to see them all.\n`;
  }
  return text;
}
