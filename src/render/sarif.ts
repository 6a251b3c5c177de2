// SARIF 2.1.0 as GitHub code scanning reads it: one run, every rule described, one result per finding.
import { RULES } from '../checks/index.ts';
import type { Rule } from '../checks/registry.ts';
import type { Analysis } from '../engine.ts';
import type { Finding, Severity, Span } from '../findings.ts';
import { joinPrefix, notReadText } from './shared.ts';
import { ruleHelpUri, TOOL } from './tool.ts';

export type SarifOptions = {
  /** The checked folder relative to the git checkout's top level (`infra/`), or ''. */
  pathPrefix?: string;
};

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  notice: 'note',
};

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

type RuleMetaLike = Pick<Rule, 'id' | 'title' | 'severity'> & Partial<Rule>;

function describeRule(rule: RuleMetaLike) {
  const rationale = rule.rationale ?? rule.title;
  const markdown = [
    `**${rule.title}**`,
    rationale,
    rule.remediation ? `**Remediation:** ${rule.remediation}` : '',
    rule.fix ? `**Automatic fix:** ${rule.fix}` : '',
    rule.evidence?.length ? `**Evidence:** ${rule.evidence.map((e) => `\`${e}\``).join(', ')}` : '',
  ].filter(Boolean);
  return {
    id: rule.id,
    // SARIF wants a PascalCase-ish identifier-friendly name; the id's words joined keep it readable.
    name: rule.id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: rationale },
    help: {
      text: [rationale, rule.remediation ? `Remediation: ${rule.remediation}` : '']
        .filter(Boolean)
        .join('\n'),
      markdown: markdown.join('\n\n'),
    },
    helpUri: ruleHelpUri(rule.id),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: ['lbguard', ...(rule.family ? [rule.family] : [])] },
  };
}

function region(s: Span) {
  // An empty range (file-level findings) would be a zero-width region; GitHub wants at least one column.
  const endColumn = s.endLine === s.line ? Math.max(s.endColumn, s.column + 1) : Math.max(1, s.endColumn);
  return { startLine: s.line, startColumn: s.column, endLine: Math.max(s.endLine, s.line), endColumn };
}

const physical = (s: Span, prefix: string) => ({
  artifactLocation: { uri: joinPrefix(prefix, s.file), uriBaseId: '%SRCROOT%' },
  region: region(s),
});

export function renderSarif(
  a: Pick<Analysis, 'findings'> & Partial<Pick<Analysis, 'suppressed' | 'summary'>>,
  opts: SarifOptions = {},
): string {
  const prefix = opts.pathPrefix ?? '';
  // Every registry rule, so ruleIndex is stable between runs; an id the registry lacks is appended.
  const rules: RuleMetaLike[] = [...RULES];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  // Suppressed findings stay in the log, marked, so code scanning shows them as dismissed in source.
  const all = [...a.findings, ...(a.suppressed ?? [])];
  for (const f of all) {
    if (index.has(f.rule)) continue;
    index.set(f.rule, rules.length);
    rules.push({ id: f.rule, title: f.rule, severity: f.severity });
  }
  const results = all.map((f: Finding) => ({
    ruleId: f.rule,
    ruleIndex: index.get(f.rule)!,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: physical(f, prefix) }],
    ...(f.related?.length
      ? {
          relatedLocations: f.related.map((r, id) => ({
            id,
            physicalLocation: physical(r, prefix),
            message: { text: r.message },
          })),
        }
      : {}),
    partialFingerprints: { 'lbguard/v1': f.fingerprint },
    ...(f.state ? { baselineState: f.state === 'new' ? 'new' : 'unchanged' } : {}),
    ...(f.suppression
      ? {
          suppressions: [
            {
              kind: 'inSource',
              status: 'accepted',
              ...(f.suppression.reason ? { justification: f.suppression.reason } : {}),
            },
          ],
        }
      : {}),
    properties: { scope: f.scope, ...(f.resource ? { resource: f.resource } : {}) },
  }));
  const gaps = a.summary?.gaps;
  const unread = notReadText(gaps);
  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL.name,
            informationUri: TOOL.informationUri,
            version: TOOL.version,
            semanticVersion: TOOL.version,
            rules: rules.map(describeRule),
          },
        },
        columnKind: 'utf16CodeUnits',
        // What was not read, for the run as a whole: each input is also a note-level result at its
        // position; this counts them with the templates that have no notice, where SARIF keeps
        // conditions of the run rather than of a file (a notification of the invocation).
        ...(unread && gaps
          ? {
              invocations: [
                {
                  executionSuccessful: true,
                  toolExecutionNotifications: [{ level: 'warning', message: { text: `${unread}.` } }],
                },
              ],
            }
          : {}),
        ...(gaps ? { properties: { 'lbguard/gaps': gaps } } : {}),
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
