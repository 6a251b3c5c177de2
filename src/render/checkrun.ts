// Findings -> a check run's output: title, Markdown summary, annotations. Everything stays inside
// GitHub's limits, because an over-long field fails the whole update and leaves the run unfinished.
import { RULES_BY_ID } from '../checks/index.ts';
import type { PoolRow } from '../checks/pool-table.ts';
import type { Finding, Fix, Severity } from '../findings.ts';
import { type RoutesSectionInput, renderRoutesSection, routesTitle } from './checkrun-routes.ts';
import { plural } from './shared.ts';
import { ruleHelpUri } from './tool.ts';

// GitHub's limits: output.summary/text 65535 characters (OpenAPI maxLength); annotation title 255
// characters, message and raw_details 64 KB each (Checks API docs); 50 annotations per request.
export const LIMITS = {
  summary: 65_535,
  title: 255,
  annotationTitle: 255,
  annotationBytes: 65_535,
  annotationsPerRequest: 50,
  /** Past this, annotations are left out and the summary says how many. */
  annotations: 500,
} as const;

export type AnnotationLevel = 'notice' | 'warning' | 'failure';

export type Annotation = {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: AnnotationLevel;
  title: string;
  message: string;
  raw_details?: string;
};

/** A finding as the review sees it: whether the PR made it, and which changed files caused it. */
export type ReviewedFinding = Finding & {
  causedBy?: string[];
  /** The finding's own file changed in the PR: its related places in untouched files were broken by it. */
  inChangedFile?: boolean;
};

export type CheckRunInput = {
  findings: readonly ReviewedFinding[];
  pools: readonly PoolRow[];
  /** The clusters (scopes) the repository was split into, with why. */
  scopes?: readonly { name: string; files: number; reason: string }[];
  /** `failOn: all` (or a push, with no base): every finding counts, not only new ones. */
  countAll: boolean;
  /** One line saying what was compared with what. */
  context: string;
  /** Head and base routes compared (a pull request): the Routes section and title words. */
  routes?: RoutesSectionInput;
};

export type CheckRunOutput = {
  conclusion: 'success' | 'failure' | 'neutral';
  title: string;
  summary: string;
  annotations: Annotation[];
  /** Annotations beyond LIMITS.annotations, counted in the summary. */
  omitted: number;
  /** output.text: the fixes, ready to copy (same 65,535-character limit as the summary). */
  text?: string;
  /** Buttons on the run (GitHub: at most 3; label 20, description 40, identifier 20 characters). */
  actions?: CheckRunAction[];
  /** The errors and warnings that count (new ones, unless every finding counts). */
  counted: { errors: number; warnings: number };
};

export type CheckRunAction = { label: string; description: string; identifier: string };

export const APPLY_FIXES = {
  label: 'Apply fixes',
  description: 'Commit the fixes to the PR branch',
  identifier: 'apply-fixes',
} as const satisfies CheckRunAction;

const LEVEL: Record<Severity, AnnotationLevel> = { error: 'failure', warning: 'warning', notice: 'notice' };

export const counts = (f: ReviewedFinding, countAll: boolean): boolean => countAll || f.state !== 'existing';

export function renderCheckRun(input: CheckRunInput): CheckRunOutput {
  const counted = input.findings.filter((f) => counts(f, input.countAll));
  const errors = counted.filter((f) => f.severity === 'error').length;
  const warnings = counted.filter((f) => f.severity === 'warning').length;
  const existing = input.findings.length - counted.length;
  const word = input.countAll ? '' : 'new ';
  const head =
    errors + warnings === 0
      ? `No ${word}errors or warnings`
      : `${plural(errors, `${word}error`)}, ${plural(warnings, `${word}warning`)}`;
  const withdrawn = input.routes ? routesTitle(input.routes.changes) : undefined;
  const title = clip(
    `${existing ? `${head} (${existing} pre-existing)` : head}${withdrawn ? `; ${withdrawn}` : ''}`,
    LIMITS.title,
  );
  const all = input.findings.flatMap((f) => annotationsFor(f, input.countAll));
  const annotations = all.slice(0, LIMITS.annotations);
  const omitted = all.length - annotations.length;
  return {
    conclusion: errors > 0 ? 'failure' : 'success',
    title,
    summary: renderSummary(input, omitted),
    annotations,
    omitted,
    counted: { errors, warnings },
  };
}

/** A review that could not finish: neutral, with the reason, never left in progress. */
export function neutralOutput(reason: string): Pick<CheckRunOutput, 'conclusion' | 'title' | 'summary'> {
  return {
    conclusion: 'neutral',
    title: clip(`Not checked: ${reason}`, LIMITS.title),
    summary: clip(`## lbguard could not finish this review\n\n${reason}\n`, LIMITS.summary),
  };
}

export function annotationsFor(f: ReviewedFinding, countAll: boolean): Annotation[] {
  const meta = RULES_BY_ID.get(f.rule);
  const old = !counts(f, countAll);
  const lines = [f.message];
  if (f.causedBy?.length)
    lines.push(`Caused by the change to ${f.causedBy.map((p) => `\`${p}\``).join(', ')}.`);
  for (const r of f.related ?? []) lines.push(`Related: ${r.file}:${r.line}: ${r.message}`);
  if (old) lines.push('Pre-existing: this was already there before the pull request.');
  const details = [meta?.remediation, describeFix(f.fix)].filter(Boolean).join('\n\n');
  const main: Annotation = {
    ...place(f),
    annotation_level: old ? 'notice' : LEVEL[f.severity],
    title: clip(`${f.rule}${old ? ' (pre-existing)' : ''}: ${meta?.title ?? f.rule}`, LIMITS.annotationTitle),
    message: clipBytes(lines.join('\n'), LIMITS.annotationBytes),
    ...(details ? { raw_details: clipBytes(details, LIMITS.annotationBytes) } : {}),
  };
  // The other end of a cross-resource problem (the IPPool a ServiceGroup escapes) gets its own line.
  const related = (f.related ?? [])
    .filter((r) => r.file !== f.file || r.line !== f.line)
    .map(
      (r): Annotation => ({
        ...place(r),
        annotation_level: old ? 'notice' : LEVEL[f.severity],
        title: clip(
          `${f.rule}${old ? ' (pre-existing)' : ''}: related to ${f.file}:${f.line}`,
          LIMITS.annotationTitle,
        ),
        message: clipBytes(
          `${r.message}\n${f.inChangedFile && !old ? `Caused by the change to \`${f.file}\`` : 'See'} (${f.file}:${f.line}): ${f.message}`,
          LIMITS.annotationBytes,
        ),
      }),
    );
  return [main, ...related];
}

/** A fix as a reviewer reads it (`spec.cidr = 10.0.0.0/24`), not as the JSON the engine passes around. */
export function describeFix(f: Fix | undefined): string | undefined {
  if (f === undefined) return undefined;
  const lines = f.changes.flatMap((c) =>
    c.kind === 'document'
      ? [`- new ${String(c.content.kind ?? 'document')} in ${c.file}:`, `  ${JSON.stringify(c.content)}`]
      : c.ops.map((op) => {
          const at = `${c.file}: ${c.resource.kind}/${c.resource.name} ${op.path.join('.')}`;
          if (op.op === 'delete') return `- ${at}: remove`;
          return `- ${at}${op.op === 'append' ? ' += ' : ' = '}${JSON.stringify(op.value)}`;
        }),
  );
  return [`Fix: ${f.title} (\`lbguard fix\`, or Apply fixes on the pull request)`, ...lines].join('\n');
}

function place(s: { file: string; line: number; column: number; endLine: number; endColumn: number }) {
  const line = Math.max(1, s.line);
  const endLine = Math.max(line, s.endLine);
  // GitHub accepts columns only on a one-line annotation.
  const columns =
    endLine === line && s.column >= 1
      ? { start_column: s.column, end_column: Math.max(s.column, s.endColumn) }
      : {};
  return { path: s.file, start_line: line, end_line: endLine, ...columns };
}

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function renderSummary(input: CheckRunInput, omitted: number): string {
  const budget = LIMITS.summary - 200; // room for the closing line
  const parts: string[] = [`## lbguard\n\n${input.context}\n`];
  let size = parts[0]!.length;
  let cut = false;
  const add = (s: string): boolean => {
    if (cut || size + s.length + 1 > budget) {
      cut = true;
      return false;
    }
    parts.push(s);
    size += s.length + 1;
    return true;
  };

  // What the change does on the wire comes first: it is what a network reviewer reads the run for.
  if (input.routes) for (const line of renderRoutesSection(input.routes)) add(line);
  // One line: which clusters were checked apart; `lbguard scopes` says why and lists their files.
  if (input.scopes && input.scopes.length > 1) {
    const list = input.scopes.map((sc) => `**${esc(sc.name)}** (${plural(sc.files, 'file')})`).join(', ');
    add(`Checked as ${input.scopes.length} separate scopes: ${list}. \`lbguard scopes\` shows why.\n`);
  }
  if (input.pools.length) {
    add('### PureLB pools\n');
    add('| Pool | ServiceGroup | Advertised prefix | Covering IPPool | Communities | Verdict |');
    add('|---|---|---|---|---|---|');
    for (const p of input.pools) {
      const verdict = p.verdict === 'ok' ? 'ok' : p.verdict === 'problem' ? '**problem**' : 'unknown';
      const advertised = p.mode === 'local' ? 'local (ARP/ND)' : p.advertised || '-';
      add(
        `| \`${esc(p.pool)}\` | ${esc(p.group)} (${esc(p.file)}) | ${esc(advertised)} | ${esc(p.coveringIpPool) || '-'} | ${esc(p.communities) || '-'} | ${verdict} |`,
      );
    }
    add('');
  }

  const byRule = new Map<string, ReviewedFinding[]>();
  for (const f of input.findings) {
    const list = byRule.get(f.rule);
    if (list) list.push(f);
    else byRule.set(f.rule, [f]);
  }
  let shown = 0;
  if (byRule.size) add('### Findings by rule\n');
  else add('No findings.');
  for (const [rule, list] of byRule) {
    const meta = RULES_BY_ID.get(rule);
    if (!add(`#### [\`${rule}\`](${ruleHelpUri(rule)}) (${list[0]!.severity}): ${esc(meta?.title ?? '')}\n`))
      break;
    for (const f of list) {
      const mark = counts(f, input.countAll) ? (input.countAll ? '' : '**new** ') : '_pre-existing_ ';
      const cause = f.causedBy?.length ? ` (caused by ${f.causedBy.map((p) => `\`${p}\``).join(', ')})` : '';
      if (!add(`- ${mark}\`${f.file}:${f.line}\` ${esc(f.message)}${cause}`)) break;
      shown++;
    }
    add('');
  }
  const tail: string[] = [];
  if (shown < input.findings.length) {
    tail.push(
      `${input.findings.length - shown} more findings are not listed here (size limit); see the annotations.`,
    );
  }
  if (omitted) tail.push(`${omitted} annotations were left out (limit ${LIMITS.annotations}).`);
  return clip([...parts, ...tail].join('\n'), LIMITS.summary);
}

export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, max - 1)}…`;
}

export function clipBytes(s: string, maxBytes: number): string {
  const buf = Buffer.from(s, 'utf8');
  if (buf.byteLength <= maxBytes) return s;
  // Cut on a character boundary: TextDecoder drops a split trailing sequence as U+FFFD, so trim it.
  const cutText = new TextDecoder().decode(buf.subarray(0, maxBytes - 3)).replace(/\uFFFD$/, '');
  return `${cutText}…`;
}
