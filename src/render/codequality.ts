// GitLab Code Quality (a subset of Code Climate's issue format): shown in merge request widgets and
// diffs. GitLab compares the report with the target branch's itself, so every finding goes in, new
// ones first; each fingerprint is unique within the report, as GitLab requires.
import type { Analysis } from '../engine.ts';
import type { Severity } from '../findings.ts';
import { joinPrefix } from './shared.ts';

export type CodeQualityOptions = { pathPrefix?: string };

const SEVERITY: Record<Severity, 'critical' | 'minor' | 'info'> = {
  error: 'critical',
  warning: 'minor',
  notice: 'info',
};

export function renderCodeQuality(a: Pick<Analysis, 'findings'>, opts: CodeQualityOptions = {}): string {
  const prefix = opts.pathPrefix ?? '';
  const ordered = [
    ...a.findings.filter((f) => f.state !== 'existing'),
    ...a.findings.filter((f) => f.state === 'existing'),
  ];
  const seen = new Map<string, number>();
  const issues = ordered.map((f) => {
    const n = seen.get(f.fingerprint) ?? 0;
    seen.set(f.fingerprint, n + 1);
    return {
      type: 'issue',
      check_name: f.rule,
      description: f.message,
      severity: SEVERITY[f.severity],
      // The same mistake twice (same rule, resource and value) is two issues.
      fingerprint: n === 0 ? f.fingerprint : `${f.fingerprint}-${n}`,
      location: {
        path: joinPrefix(prefix, f.file),
        lines: { begin: f.line, end: Math.max(f.line, f.endLine) },
      },
    };
  });
  return `${JSON.stringify(issues, null, 2)}\n`;
}
