// The JSON contract (architecture.md): version 1.
import type { Analysis } from '../engine.ts';
import type { Finding } from '../findings.ts';

export type JsonFinding = Omit<Finding, 'related' | 'state'> & {
  related?: Finding['related'];
  state?: Finding['state'];
};

export function renderJson(
  a: Pick<Analysis, 'findings' | 'summary'> & Partial<Pick<Analysis, 'suppressed'>>,
): string {
  const shape = (f: Finding) => {
    const { rule, severity, message, file, line, column, endLine, endColumn, resource, scope, fingerprint } =
      f;
    return {
      rule,
      severity,
      message,
      file,
      line,
      column,
      endLine,
      endColumn,
      resource: resource ?? null,
      scope,
      fingerprint,
      ...(f.state ? { state: f.state } : {}),
      ...(f.related?.length ? { related: f.related } : {}),
      ...(f.fix !== undefined ? { fix: f.fix } : {}),
      ...(f.suppression ? { suppression: { reason: f.suppression.reason ?? null } } : {}),
    };
  };
  const findings = a.findings.map(shape);
  // What lbguard.dev/ignore silenced, with the reason given: auditable, not gone.
  const suppressed = (a.suppressed ?? []).map(shape);
  return `${JSON.stringify({ version: 1, findings, suppressed, summary: a.summary }, null, 2)}\n`;
}
