// Hand-made findings, so renderer tests do not depend on which rules exist yet.
import { type Analysis, summarize } from '../../src/engine.ts';
import type { Finding } from '../../src/findings.ts';

export const finding = (over: Partial<Finding> = {}): Finding => ({
  rule: 'lb-pool-not-exported',
  severity: 'error',
  message: 'Pool 10.0.0.0/24 is not exported',
  file: 'purelb/sg.yaml',
  line: 9,
  column: 11,
  endLine: 9,
  endColumn: 24,
  resource: { kind: 'ServiceGroup', name: 'routed', namespace: 'purelb-system' },
  scope: 'default',
  fingerprint: '0123456789abcdef',
  ...over,
});

export const analysisOf = (
  findings: Finding[],
  scopes: Analysis['scopes'] = [],
  suppressed = 0,
): Pick<Analysis, 'findings' | 'summary' | 'scopes'> => ({
  findings,
  scopes,
  summary: summarize(findings, 2, 3, suppressed),
});
