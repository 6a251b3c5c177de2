// The JSON contract (architecture.md): version 1.
import type { Analysis } from '../engine.ts';
import type { Finding } from '../findings.ts';

export type JsonFinding = Omit<Finding, 'related' | 'state'> & {
  related?: Finding['related'];
  state?: Finding['state'];
};

export function renderJson(a: Pick<Analysis, 'findings' | 'summary'>): string {
  const findings = a.findings.map((f) => {
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
    };
  });
  return `${JSON.stringify({ version: 1, findings, summary: a.summary }, null, 2)}\n`;
}
