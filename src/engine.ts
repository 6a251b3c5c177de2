// The engine: files in, findings out. Knows nothing of GitHub or the file system, so the CLI
// and the App report exactly the same thing for the same tree.
import { RULE_IDS, RULES, RULES_BY_ID } from './checks/index.ts';
import type { InputRuleId } from './checks/input.ts';
import { type PoolDraft, type PoolRow, poolDrafts, poolVerdicts } from './checks/pool-table.ts';
import { makeContext, type RuleReport } from './checks/registry.ts';
import { type RouteModel, routesOf } from './checks/routes.ts';
import { type Config, DEFAULT_CONFIG } from './config.ts';
import { compareFindings, type Finding, fingerprint, type Report, type Severity } from './findings.ts';
import { GITOPS_WATCH_WORDS, prepareGitOps, provenanceAt } from './gitops/index.ts';
import { globMatcher } from './glob.ts';
import { type Ignore, ignoreOf, unknownIgnoreReports } from './manifests/ignore.ts';
import { type Loaded, loadFiles, type SourceFile } from './manifests/load.ts';
import { buildModel, type Model, managesCalico } from './manifests/model.ts';
import { unresolvedReports } from './manifests/placeholders.ts';
import { identity, type Resource, refKey, refOf } from './manifests/resource.ts';
import { buildScopes, DEFAULT_SCOPE, type Scope, splitAlternatives } from './manifests/scope.ts';

export type Counts = { errors: number; warnings: number; notices: number };

/**
 * What a run could not read. `noticed`: the notices of rules marked `unread` (each names one input:
 * a file, a template, a values or remote source, a variable); `templates`: template documents with
 * nothing PureLB or Calico in them, only counted. `total` is their sum: no findings with a total
 * above 0 means "nothing wrong in what was read", never "clean".
 */
/**
 * `total`: inputs that could create or change a watched resource and were not read, each named by
 * a notice (`noticed`; the same number). `templates`: template documents with nothing PureLB or
 * Calico in them, skipped and only counted. They are no gap: nothing in them is lbguard's, and a
 * repository of app-template releases would otherwise say "not read" on every pull request.
 */
export type Gaps = { total: number; noticed: number; templates: number };

/** The one definition of a gap, for every summary: the CLI's, the check run's, every format's. */
export function gapsOf(reported: readonly Pick<Finding, 'rule'>[], templates: number): Gaps {
  // Suppressed and pre-existing notices count too: the input was not read either way.
  const noticed = reported.filter((f) => RULES_BY_ID.get(f.rule)?.unread).length;
  return { total: noticed, noticed, templates };
}

/** Totals, then the same split by state (unmarked counts as new) and what ignore annotations hid. */
export type Summary = Counts & {
  files: number;
  resources: number;
  new: Counts;
  existing: Counts;
  suppressed: number;
  /** Added in JSON v1 (additive): inputs not read. */
  gaps: Gaps;
};

/** A scope as reported: `lbguard scopes` lists its paths, the check run and text output count them. */
export type ScopeSummary = {
  name: string;
  files: number;
  resources: number;
  reason: string;
  entry?: string;
  paths: string[];
};

export type Analysis = {
  findings: Finding[];
  /** Findings an lbguard.dev/ignore annotation silenced, each with its `suppression` (reason). */
  suppressed: Finding[];
  summary: Summary;
  scopes: ScopeSummary[];
  pools: PoolRow[];
  /** What each scope announces to which BGP peer (the route model the section-D rules read). */
  routes: { scope: string; model: RouteModel }[];
  stats: Loaded['stats'];
  timings: { loadMs: number; modelMs: number; checksMs: number };
};

export type AnalyzeOptions = {
  config?: Config;
  /** Findings already made about the config file (it is read by the caller). */
  configReports?: readonly Report<InputRuleId>[];
  /** Extra text words that make a document worth parsing (Flux, Argo CD modules). */
  watchWords?: readonly string[];
  /** The scopes, when the caller knows them (a rendered stream is one); else config or layout. */
  scopes?: Scope[];
};

export function selectFiles(files: readonly SourceFile[], config: Config): SourceFile[] {
  const inc = config.include.length ? globMatcher(config.include) : () => true;
  const exc = config.exclude.length ? globMatcher(config.exclude) : () => false;
  return files.filter((f) => inc(f.path) && !exc(f.path));
}

function scopedModel(m: Model, scope: Scope, onlyIn?: ReadonlyMap<Resource, ReadonlySet<string>>): Model {
  // A file shared by clusters that substitute it differently has one copy per cluster.
  const inScope = (r: Resource) => scope.files.has(r.file) && (onlyIn?.get(r)?.has(scope.name) ?? true);
  const keep = <T extends { res: Resource }>(list: T[]) => list.filter((x) => inScope(x.res));
  return {
    resources: m.resources.filter(inScope),
    serviceGroups: keep(m.serviceGroups),
    lbNodeAgents: keep(m.lbNodeAgents),
    services: keep(m.services),
    ipPools: keep(m.ipPools),
    bgpConfigurations: keep(m.bgpConfigurations),
    bgpPeers: keep(m.bgpPeers),
    bgpFilters: keep(m.bgpFilters),
    installations: keep(m.installations),
  };
}

const byPath = (a: SourceFile, b: SourceFile): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

export function analyze(input: readonly SourceFile[], options: AnalyzeOptions = {}): Analysis {
  const config = options.config ?? DEFAULT_CONFIG;
  const t0 = performance.now();
  // Path order, whatever order the caller listed them in (readdir, git, a tarball): which of two
  // duplicates is "the later", where a scope's notice and a new IPPool go all follow file order.
  const files = selectFiles(input, config).sort(byPath);
  const loaded = loadFiles(files, { maxFileBytes: config.limits.maxFileBytes, maxAliasCount: 100 }, [
    ...GITOPS_WATCH_WORDS,
    ...(options.watchWords ?? []),
  ]);
  const t1 = performance.now();
  const gitops = prepareGitOps(loaded, config, files);
  const global: Report<InputRuleId>[] = [
    ...(options.configReports ?? []),
    ...loaded.reports,
    ...gitops.reports,
  ];
  const model = buildModel(gitops.resources, global);
  global.push(...unresolvedReports(gitops.resources), ...unknownIgnoreReports(model.resources, RULE_IDS));
  const t2 = performance.now();

  const paths = files.map((f) => f.path);
  const configured = typeof config.clusters === 'object' && Object.keys(config.clusters).length > 0;
  let scopes =
    options.scopes ??
    gitops.scopes ??
    buildScopes(paths, config.clusters === 'auto' ? undefined : config.clusters);
  // Files no cluster structure groups: sibling folders that define one object twice are alternatives.
  if (!configured && !options.scopes) {
    const ids = model.resources.map((r) => ({ file: r.file, identity: identity(r) }));
    scopes = scopes.flatMap((s) => (s.name === DEFAULT_SCOPE ? splitAlternatives(s, ids) : [s]));
  }
  const scoped: { scope: string; report: RuleReport & { rule: string } }[] = [];
  const drafts: PoolDraft[] = [];
  const routes: Analysis['routes'] = [];
  const scopeSummaries: Analysis['scopes'] = [];
  for (const scope of scopes) {
    const m = scopedModel(model, scope, gitops.onlyIn);
    scopeSummaries.push({
      name: scope.name,
      files: scope.files.size,
      resources: m.resources.length,
      reason: scope.reason,
      ...(scope.entry !== undefined ? { entry: scope.entry } : {}),
      paths: [...scope.files],
    });
    const out = runScope(scope, m, config, (rule, report) =>
      scoped.push({ scope: scope.name, report: { ...report, rule } }),
    );
    drafts.push(...out.pools);
    routes.push({ scope: scope.name, model: out.routes });
  }
  const t3 = performance.now();

  const scopeOfFile = (file: string) => scopes.find((s) => s.files.has(file))?.name ?? DEFAULT_SCOPE;
  const { findings, suppressed } = finalize(
    [...global.map((report) => ({ scope: scopeOfFile(report.file), report })), ...scoped],
    model,
    config,
  );
  // Say which ConfigMap line (or postBuild.substitute entry, or kustomize line) supplied a value.
  for (const f of findings) {
    const supplied = provenanceAt(gitops, f, f.scope, f.resource);
    if (supplied) f.related = [...(f.related ?? []), ...supplied];
  }
  return {
    findings,
    suppressed,
    summary: summarize(
      findings,
      files.length,
      model.resources.length,
      suppressed.length,
      gapsOf([...findings, ...suppressed], loaded.stats.templates),
    ),
    scopes: scopeSummaries,
    pools: poolVerdicts(drafts, findings),
    routes,
    stats: loaded.stats,
    timings: { loadMs: t1 - t0, modelMs: t2 - t1, checksMs: t3 - t2 },
  };
}

/** Runs the rules of one scope and returns its pool table and routes, read from the same context (one pass). */
function runScope(
  scope: Scope,
  m: Model,
  config: Config,
  sink: (rule: string, r: RuleReport) => void,
): { pools: PoolDraft[]; routes: RouteModel } {
  const ctxFor = makeContext(m, config, scope.name, sink);
  const calico = managesCalico(m);
  let skippedForCalico = false;
  for (const rule of RULES) {
    if (!rule.check || config.rules[rule.id]?.severity === 'off') continue;
    if (rule.needsCalico && !calico) {
      skippedForCalico = true;
      continue;
    }
    try {
      rule.check(ctxFor(rule));
    } catch (e) {
      // A rule bug must say which rule and where, not surface as a bare stack trace.
      throw new Error(
        `lbguard internal error in rule ${rule.id} (scope ${scope.name}): ${(e as Error).message}`,
        {
          cause: e,
        },
      );
    }
  }
  const firstGroup = m.serviceGroups[0];
  if (skippedForCalico && firstGroup) {
    sink('calico-not-in-scope', {
      ...firstGroup.res.doc.span(['metadata', 'name']),
      message: `Scope "${scope.name}" has PureLB ServiceGroups but no Calico IPPool, BGPConfiguration, BGPPeer, BGPFilter or Installation; PureLB-against-Calico checks were skipped.`,
      resource: refOf(firstGroup.res),
    });
  }
  // Pseudo-rules: the table and the routes never report, they read what the rules already computed.
  return { pools: poolDrafts(ctxFor({ id: 'pool-table' })), routes: routesOf(ctxFor({ id: 'routes' })) };
}

function finalize(
  items: { scope: string; report: Report & { severity?: Severity } }[],
  model: Model,
  config: Config,
): { findings: Finding[]; suppressed: Finding[] } {
  const ignores = new Map<string, Ignore>();
  for (const r of model.resources) {
    const ignore = ignoreOf(r);
    if (ignore?.rules.size) ignores.set(`${r.file}\u0000${identity(r)}`, ignore);
  }
  const seen = new Set<string>();
  const out: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const { scope, report } of items) {
    const meta = RULES_BY_ID.get(report.rule);
    const setting = config.rules[report.rule];
    if (setting?.severity === 'off') continue;
    const ignore =
      report.resource && setting?.allowIgnore !== false
        ? ignores.get(`${report.file}\u0000${refKey(report.resource)}`)
        : undefined;
    const sink = ignore?.rules.has(report.rule) ? suppressed : out;
    // A file in several clusters yields the same finding once per scope; keep the first.
    const dedupe = `${report.rule}\u0000${report.file}\u0000${report.line}\u0000${report.column}\u0000${report.message}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    const severity = setting?.severity ?? report.severity ?? meta?.severity ?? 'error';
    const { value, severity: _s, ...rest } = report;
    const ref = report.resource;
    sink.push({
      ...rest,
      severity,
      scope,
      fingerprint: fingerprint([
        report.rule,
        scope,
        ref ? refKey(ref) : report.file,
        value ?? report.message,
      ]),
      ...(sink === suppressed ? { suppression: ignore?.reason ? { reason: ignore.reason } : {} } : {}),
    });
  }
  return { findings: out.sort(compareFindings), suppressed: suppressed.sort(compareFindings) };
}

export function summarize(
  findings: readonly Finding[],
  files: number,
  resources: number,
  suppressed = 0,
  gaps: Gaps = gapsOf(findings, 0),
): Summary {
  const count = (list: readonly Finding[]): Counts => ({
    errors: list.filter((f) => f.severity === 'error').length,
    warnings: list.filter((f) => f.severity === 'warning').length,
    notices: list.filter((f) => f.severity === 'notice').length,
  });
  return {
    files,
    resources,
    ...count(findings),
    new: count(findings.filter((f) => f.state !== 'existing')),
    existing: count(findings.filter((f) => f.state === 'existing')),
    suppressed,
    gaps,
  };
}
