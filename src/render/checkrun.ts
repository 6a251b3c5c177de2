// Findings -> a check run's output: title, Markdown summary, annotations. Everything stays inside
// GitHub's limits, because an over-long field fails the whole update and leaves the run unfinished.
import { RULES_BY_ID } from '../checks/index.ts';
import type { PoolRow } from '../checks/pool-table.ts';
import { failing } from '../compare.ts';
import type { Gaps } from '../engine.ts';
import type { Finding, Fix, Severity } from '../findings.ts';
import { type RoutesSectionInput, renderRoutesSection, routesTitle } from './checkrun-routes.ts';
import { noFindingsText, notReadText, plural } from './shared.ts';
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
  /** Where `file:line` links point: the repository's web address and the commit checked. */
  links?: { repository: string; sha: string };
  /** Findings hidden by lbguard.dev/ignore annotations. */
  suppressed?: number;
  /** Inputs the head's analysis could not read (its `summary.gaps`). */
  gaps?: Gaps;
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
  // "No errors" over a tree partly unread says so in the title too, the line most people read.
  const unread = input.gaps?.total ? plural(input.gaps.total, 'input') + ' not read' : undefined;
  const title = clip(
    `${existing ? `${head} (${existing} pre-existing)` : head}${unread ? `; ${unread}` : ''}${withdrawn ? `; ${withdrawn}` : ''}`,
    LIMITS.title,
  );
  // New first, so the annotation cap never drops a new finding for an old one.
  const all = newFirst(input.findings, input.countAll).flatMap((f) => annotationsFor(f, input.countAll));
  const annotations = all.slice(0, LIMITS.annotations);
  const omitted = all.length - annotations.length;
  return {
    // The verdict function the CLI's exit code uses too.
    conclusion: failing(input.findings, input.countAll ? 'all' : 'new').length > 0 ? 'failure' : 'success',
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

const newFirst = (findings: readonly ReviewedFinding[], countAll: boolean): ReviewedFinding[] => [
  ...findings.filter((f) => counts(f, countAll)),
  ...findings.filter((f) => !counts(f, countAll)),
];

/** A table cell: no pipe or line break may end it early. */
const esc = (s: string) => md(s).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/**
 * Text from manifests and rules as Markdown prose: `<` `>` `&` as entities (a `<details>` in a
 * value must not fold the page), and emphasis and link characters escaped; backticks stay code.
 */
const md = (s: string) =>
  s
    .replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!)
    .replace(/([\\*_[\]])/g, '\\$1');

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

type SummaryContext = {
  input: CheckRunInput;
  /** Findings listed per rule at most (the rest are counted): lowered until the summary fits. */
  cap: number;
  /** How many findings the sections listed. */
  listed: number;
};

/** One part of the summary: Markdown, or '' to leave it out. Sections are independent; order is the page's. */
type Section = (ctx: SummaryContext) => string;

function linkedPlace(f: ReviewedFinding, links: CheckRunInput['links']): string {
  const at = `\`${f.file}:${f.line}\``;
  if (!links) return at;
  const path = f.file.split('/').map(encodeURIComponent).join('/');
  return `[${at}](${links.repository}/blob/${links.sha}/${path}#L${f.line})`;
}

/** One heading per rule with its count and what to do, then its findings: errors first, then the biggest groups. */
function ruleGroups(findings: readonly ReviewedFinding[], ctx: SummaryContext, cap: number): string {
  const byRule = new Map<string, ReviewedFinding[]>();
  for (const f of findings) {
    const list = byRule.get(f.rule);
    if (list) list.push(f);
    else byRule.set(f.rule, [f]);
  }
  const groups = [...byRule.values()].sort(
    (a, b) =>
      SEVERITY_ORDER[a[0]!.severity] - SEVERITY_ORDER[b[0]!.severity] ||
      b.length - a.length ||
      (a[0]!.rule < b[0]!.rule ? -1 : 1),
  );
  const out: string[] = [];
  for (const list of groups) {
    const { rule, severity } = list[0]!;
    const meta = RULES_BY_ID.get(rule);
    out.push(
      `#### [\`${rule}\`](${ruleHelpUri(rule)}) · ${severity} · ${list.length}${meta ? ` · ${md(meta.title)}` : ''}`,
      '',
    );
    if (meta?.remediation) out.push(`**What to do:** ${md(meta.remediation)}`, '');
    for (const f of list.slice(0, cap)) {
      const cause = f.causedBy?.length ? ` (caused by ${f.causedBy.map((p) => `\`${p}\``).join(', ')})` : '';
      out.push(`- ${linkedPlace(f, ctx.input.links)} ${md(f.message)}${cause}`);
      ctx.listed++;
    }
    if (list.length > cap) out.push(`- … and ${list.length - cap} more of this rule (see the annotations)`);
    out.push('');
  }
  return out.join('\n');
}

const countsSection: Section = ({ input }) => {
  const counted = input.findings.filter((f) => counts(f, input.countAll));
  const n = (sev: Severity) => counted.filter((f) => f.severity === sev).length;
  const word = input.countAll ? '' : 'new ';
  const parts = [`**${plural(n('error'), `${word}error`)}, ${plural(n('warning'), `${word}warning`)}**`];
  if (n('notice')) parts.push(plural(n('notice'), `${word}notice`));
  const existing = input.findings.length - counted.length;
  if (existing) parts.push(`${existing} pre-existing (folded below; they do not fail this run)`);
  if (input.suppressed) parts.push(`${input.suppressed} suppressed by \`lbguard.dev/ignore\``);
  const unread = notReadText(input.gaps);
  if (unread) parts.push(`**${unread}**: the findings cover only what was read`);
  return `${parts.join(' · ')}\n`;
};

const findingsSection: Section = (ctx) => {
  const { input } = ctx;
  const counted = input.findings.filter((f) => counts(f, input.countAll));
  if (input.findings.length === 0) return `${noFindingsText(input.gaps)}\n`;
  if (counted.length === 0) return '';
  return `### ${input.countAll ? 'Findings' : 'New findings'}\n\n${ruleGroups(counted, ctx, ctx.cap)}`;
};

const existingSection: Section = (ctx) => {
  const old = ctx.input.findings.filter((f) => !counts(f, ctx.input.countAll));
  if (old.length === 0) return '';
  return `<details><summary>Pre-existing findings (${old.length}): already there before this change</summary>\n\n${ruleGroups(old, ctx, Math.min(ctx.cap, 20))}\n</details>\n`;
};

/** What the change does on the wire: what a network reviewer reads the run for (checkrun-routes.ts). */
const routesSection: Section = ({ input }) =>
  input.routes ? `${renderRoutesSection(input.routes).join('\n')}\n` : '';

/** One line: which clusters were checked apart; `lbguard scopes` says why and lists their files. */
const scopesSection: Section = ({ input }) => {
  if (!input.scopes || input.scopes.length < 2) return '';
  const list = input.scopes.map((sc) => `**${esc(sc.name)}** (${plural(sc.files, 'file')})`).join(', ');
  return `Checked as ${input.scopes.length} separate scopes: ${list}. \`lbguard scopes\` shows why.\n`;
};

/** Past this many rows the pool table is folded: findings come first. */
const OPEN_POOL_ROWS = 10;
const MAX_POOL_ROWS = 200;

const poolsSection: Section = ({ input }) => {
  if (!input.pools.length) return '';
  const rank = { problem: 0, unknown: 1, ok: 2 } as const;
  const rows = [...input.pools].sort((a, b) => rank[a.verdict] - rank[b.verdict]);
  const problems = rows.filter((p) => p.verdict === 'problem').length;
  // The verdict first: on a narrow screen it is the column that must not scroll out of view.
  const table = [
    '| Verdict | Pool | ServiceGroup | Advertised prefix | Covering IPPool | Communities |',
    '|---|---|---|---|---|---|',
    ...rows.slice(0, MAX_POOL_ROWS).map((p) => {
      const verdict = p.verdict === 'ok' ? 'ok' : p.verdict === 'problem' ? '**problem**' : 'unknown';
      const advertised = p.mode === 'local' ? 'local (ARP/ND)' : p.advertised || '-';
      return `| ${verdict} | \`${esc(p.pool)}\` | ${esc(p.group)} (${esc(p.file)}) | ${esc(advertised)} | ${esc(p.coveringIpPool) || '-'} | ${esc(p.communities) || '-'} |`;
    }),
  ];
  if (rows.length > MAX_POOL_ROWS)
    table.push('', `${rows.length - MAX_POOL_ROWS} more pools are not listed.`);
  const head = `PureLB pools (${rows.length}${problems ? `, ${problems} with problems` : ''})`;
  if (rows.length <= OPEN_POOL_ROWS) return `### ${head}\n\n${table.join('\n')}\n`;
  return `<details><summary>${head}</summary>\n\n${table.join('\n')}\n\n</details>\n`;
};

/** The page, top to bottom. Other parts of lbguard add a section here, not inside another one. */
const SECTIONS: readonly Section[] = [
  countsSection,
  routesSection,
  scopesSection,
  findingsSection,
  existingSection,
  poolsSection,
];

/** Per-rule listing caps, tried in turn until the summary fits GitHub's limit. */
const CAPS = [Number.POSITIVE_INFINITY, 50, 20, 10, 5, 3, 1, 0];

function renderSummary(input: CheckRunInput, omitted: number): string {
  const budget = LIMITS.summary - 300; // room for the closing lines
  let body = '';
  let listed = 0;
  for (const cap of CAPS) {
    const ctx: SummaryContext = { input, cap, listed: 0 };
    const parts = [`## lbguard\n\n${input.context}\n`, ...SECTIONS.map((section) => section(ctx))];
    body = parts.filter(Boolean).join('\n');
    listed = ctx.listed;
    if (body.length <= budget) break;
  }
  const tail: string[] = [];
  if (listed < input.findings.length) {
    tail.push(
      `${input.findings.length - listed} more findings are not listed here (size limit); see the annotations.`,
    );
  }
  if (omitted) tail.push(`${omitted} annotations were left out (limit ${LIMITS.annotations}).`);
  return clip([body, ...tail].join('\n'), LIMITS.summary);
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
