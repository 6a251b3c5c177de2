// GitHub Actions workflow commands: one annotation per finding, in the job log and on the PR diff.
import type { Analysis } from '../engine.ts';
import type { Finding, Severity } from '../findings.ts';
import { visible } from './escape.ts';
import { joinPrefix, notReadText, plural } from './shared.ts';

export type GithubOptions = {
  /** The checked folder relative to the git checkout's top level (`infra/`), or ''. */
  pathPrefix?: string;
};

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', notice: 'notice' };

/** Escaping from @actions/core's command.ts: the message part. */
export const escapeData = (s: string): string =>
  s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** Property values additionally lose `:` and `,`, which delimit the properties. */
export const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * Repository text (file, message) has its control characters made visible first; line breaks are
 * escaped as %0A with the rest, so they stay inside the one command.
 */
export function githubCommand(f: Finding, prefix = ''): string {
  const props = [
    ['file', visible(joinPrefix(prefix, f.file), 'keep')],
    ['line', String(f.line)],
    ['col', String(f.column)],
    ['endLine', String(f.endLine)],
    ['endColumn', String(f.endColumn)],
    ['title', f.rule],
  ]
    .map(([k, v]) => `${k}=${escapeProperty(v!)}`)
    .join(',');
  const lines = [visible(f.message, 'keep') + (f.state === 'existing' ? ' (pre-existing)' : '')];
  for (const r of f.related ?? [])
    lines.push(
      `related: ${visible(joinPrefix(prefix, r.file), 'keep')}:${r.line}:${r.column} ${visible(r.message, 'keep')}`,
    );
  // A pre-existing finding is a notice: GitHub shows only the first few annotations of each level
  // per step, and an old error must not push a new one out of sight.
  const level = f.state === 'existing' ? 'notice' : COMMAND[f.severity];
  return `::${level} ${props}::${escapeData(lines.join('\n'))}`;
}

export function renderGithub(a: Pick<Analysis, 'findings' | 'summary'>, opts: GithubOptions = {}): string {
  const s = a.summary;
  // New findings first: they are what the change is about.
  const ordered = [
    ...a.findings.filter((f) => f.state !== 'existing'),
    ...a.findings.filter((f) => f.state === 'existing'),
  ];
  const lines = ordered.map((f) => githubCommand(f, opts.pathPrefix ?? ''));
  // A plain line is only log text for Actions; it tells a reader of the log what the run saw.
  let summary = `lbguard: ${plural(s.files, 'file')}, ${plural(s.resources, 'resource')}: ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.notices, 'notice')}`;
  if (a.findings.some((f) => f.state)) {
    summary += ` (new: ${plural(s.new.errors, 'error')}, ${plural(s.new.warnings, 'warning')}; pre-existing, shown as notices: ${plural(s.existing.errors + s.existing.warnings + s.existing.notices, 'finding')})`;
  }
  if (s.suppressed) summary += `; ${s.suppressed} suppressed by lbguard.dev/ignore`;
  const unread = notReadText(s.gaps);
  if (unread) {
    summary += `; ${unread}`;
    // An annotation without a file: it shows in the run's annotations even when no notice fits there.
    lines.push(
      `::notice title=${escapeProperty('lbguard: not read')}::${escapeData(`${unread}. The findings cover only what was read.`)}`,
    );
  }
  lines.push(summary);
  return `${lines.join('\n')}\n`;
}
