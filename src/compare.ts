// Head against base: which findings a change brought in, and whether the run fails. The one
// comparison the CLI (--base), the App, token mode and Apply fixes all call, so a pull request
// cannot pass in one and fail in another.
import type { Config } from './config.ts';
import { type Analysis, type AnalyzeOptions, analyze } from './engine.ts';
import type { Finding, Severity } from './findings.ts';
import type { SourceFile } from './manifests/load.ts';

/**
 * Marks each head finding `new` or `existing` by fingerprint, never by line: an edit above a
 * finding moves it without making it new. Fingerprints are counted, not just looked up, so a
 * second copy of an old mistake (same rule, resource and value) is still new.
 */
export function markStates(head: readonly Finding[], base: readonly Finding[]): Finding[] {
  const remaining = new Map<string, number>();
  for (const f of base) remaining.set(f.fingerprint, (remaining.get(f.fingerprint) ?? 0) + 1);
  return head.map((f) => {
    const left = remaining.get(f.fingerprint) ?? 0;
    if (left > 0) remaining.set(f.fingerprint, left - 1);
    return { ...f, state: left > 0 ? 'existing' : 'new' };
  });
}

/** `--fail-on`: the lowest severity that fails a run; `none` reports without failing. */
export const FAIL_ON = ['error', 'warning', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

const failsAt: Record<FailOn, readonly Severity[]> = {
  error: ['error'],
  warning: ['error', 'warning'],
  none: [],
};

/**
 * The findings that fail a run: at or above `threshold` (error level by default), and new unless
 * `failOn` (the config's) is `all`. Unmarked counts as new.
 */
export function failing(
  findings: readonly Finding[],
  failOn: 'new' | 'all',
  threshold: FailOn = 'error',
): Finding[] {
  return findings.filter(
    (f) => failsAt[threshold].includes(f.severity) && (failOn === 'all' || f.state !== 'existing'),
  );
}

export type Comparison = {
  /** The head tree's analysis (pools, scopes, stats), its findings marked when there is a base. */
  head: Analysis;
  /** The base tree's analysis, when there is a base (the route diff reads it). */
  base?: Analysis;
  findings: Finding[];
  /** A base tree was compared: only new findings count unless failOn is all. */
  compared: boolean;
  conclusion: 'success' | 'failure';
};

/** The base is read with the head's config; config problems are reported on the head only. */
export function baseOptions<O extends AnalyzeOptions>(options: O): O {
  return { ...options, configReports: [] };
}

/** The verdict on two analyses made elsewhere (the App makes them in a worker). */
export function compareAnalyses(head: Analysis, base: Analysis | undefined, config: Config): Comparison {
  const findings = base ? markStates(head.findings, base.findings) : head.findings;
  return {
    head,
    ...(base && { base }),
    findings,
    compared: base !== undefined,
    conclusion: failing(findings, config.failOn).length > 0 ? 'failure' : 'success',
  };
}

/**
 * Analyses head and, when given, base, and decides the verdict.
 *
 * Both trees are read with the head's config (the config the change proposes): a finding is new
 * only because the manifests changed, never because the config did. So a PR that switches a rule
 * on sees the problems it already had as pre-existing, and one that turns a rule off drops its
 * findings from both sides. Config problems are reported on the head only, so they are always new.
 */
export function compareTrees(
  head: readonly SourceFile[],
  base: readonly SourceFile[] | undefined,
  options: { config: Config } & Omit<AnalyzeOptions, 'config'>,
  /** The head's analysis when the caller already made it. */
  headAnalysis: Analysis = analyze(head, options),
): Comparison {
  const baseAnalysis = base ? analyze(base, baseOptions(options)) : undefined;
  return compareAnalyses(headAnalysis, baseAnalysis, options.config);
}
