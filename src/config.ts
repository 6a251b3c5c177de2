// `.github/lbguard.yml`: one schema with defaults for the App and the CLI. Every problem is a
// `config` finding pointing at the key; a bad key never silently falls back.
import picomatch from 'picomatch';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import type { InputRuleId } from './checks/input.ts';
import { fileSpan, type Report, SEVERITIES } from './findings.ts';
import { globComplexity, MAX_GLOB_LENGTH } from './glob.ts';
import { SourceDoc } from './manifests/document.ts';
import { isRecord } from './manifests/load.ts';
import { mayHaveAnchors, selfAlias, spanOfRange } from './manifests/yaml.ts';
import { parseCidr } from './net/ip.ts';
import { repoPathProblem } from './repo-path.ts';

export const CONFIG_PATH = '.github/lbguard.yml';

const glob = z.string().min(1, 'a glob may not be empty');
const severityOrOff = z.enum([...SEVERITIES, 'off']);

const ruleSetting = z.union(
  [
    severityOrOff,
    z.strictObject({ severity: severityOrOff.optional(), allowIgnore: z.boolean().optional() }),
  ],
  { error: 'expected error, warning, notice or off, or { severity, allowIgnore }' },
);

export const configSchema = z.strictObject({
  _extends: z.string().optional(),
  include: z.array(glob).optional(),
  exclude: z.array(glob).optional(),
  clusters: z
    .union([z.literal('auto'), z.record(z.string(), z.array(glob))], {
      error: 'expected auto, or a map of cluster name to a list of globs',
    })
    .optional(),
  communities: z.strictObject({ required: z.array(z.string()).optional() }).optional(),
  rules: z.record(z.string(), ruleSetting).optional(),
  network: z
    .strictObject({
      nodeSubnets: z
        .array(z.string().refine((s) => parseCidr(s) !== undefined, 'not a CIDR (e.g. 192.168.1.0/24)'))
        .optional(),
    })
    .optional(),
  purelb: z.strictObject({ namespace: z.string().optional() }).optional(),
  calico: z
    .strictObject({ apiVersion: z.enum(['projectcalico.org/v3', 'crd.projectcalico.org/v1']).optional() })
    .optional(),
  failOn: z.enum(['new', 'all']).optional(),
  fixes: z
    .strictObject({
      mode: z.enum(['commit', 'suggest', 'off']).optional(),
      directory: z
        .string()
        .check((ctx) => {
          const problem = repoPathProblem(ctx.value);
          if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
        })
        .optional(),
    })
    .optional(),
  push: z.strictObject({ enabled: z.boolean().optional() }).optional(),
  routes: z.strictObject({ maxPerPeer: z.number().int().positive().optional() }).optional(),
  limits: z
    .strictObject({
      maxFileBytes: z.number().int().positive().optional(),
      maxFiles: z.number().int().positive().optional(),
      maxTotalBytes: z.number().int().positive().optional(),
    })
    .optional(),
});

export type RawConfig = z.infer<typeof configSchema>;
export type RuleSetting = { severity?: (typeof SEVERITIES)[number] | 'off'; allowIgnore?: boolean };

export type Config = {
  include: string[];
  exclude: string[];
  clusters: Record<string, string[]> | 'auto' | undefined;
  requiredCommunities: string[];
  rules: Record<string, RuleSetting>;
  nodeSubnets: string[];
  purelbNamespace: string;
  calicoApiVersion: 'projectcalico.org/v3' | 'crd.projectcalico.org/v1' | undefined;
  failOn: 'new' | 'all';
  fixes: { mode: 'commit' | 'suggest' | 'off'; directory: string | undefined };
  pushEnabled: boolean;
  /** routes-max-per-peer warns above this many routes to one peer; undefined: no limit. */
  routes: { maxPerPeer: number | undefined };
  limits: { maxFileBytes: number; maxFiles: number; maxTotalBytes: number };
};

export const DEFAULT_CONFIG: Config = {
  include: [],
  exclude: [],
  clusters: undefined,
  requiredCommunities: [],
  rules: {},
  nodeSubnets: [],
  purelbNamespace: 'purelb-system',
  calicoApiVersion: undefined,
  failOn: 'new',
  fixes: { mode: 'commit', directory: undefined },
  pushEnabled: true,
  routes: { maxPerPeer: undefined },
  limits: { maxFileBytes: 2 * 1024 * 1024, maxFiles: 50_000, maxTotalBytes: 200 * 1024 * 1024 },
};

export function resolveConfig(raw: RawConfig): Config {
  const rules: Record<string, RuleSetting> = {};
  for (const [id, s] of Object.entries(raw.rules ?? {}))
    rules[id] = typeof s === 'string' ? { severity: s } : s;
  return {
    include: raw.include ?? [],
    exclude: raw.exclude ?? [],
    clusters: raw.clusters,
    requiredCommunities: raw.communities?.required ?? [],
    rules,
    nodeSubnets: raw.network?.nodeSubnets ?? [],
    purelbNamespace: raw.purelb?.namespace ?? DEFAULT_CONFIG.purelbNamespace,
    calicoApiVersion: raw.calico?.apiVersion,
    failOn: raw.failOn ?? 'new',
    fixes: { mode: raw.fixes?.mode ?? 'commit', directory: raw.fixes?.directory },
    pushEnabled: raw.push?.enabled ?? true,
    routes: { maxPerPeer: raw.routes?.maxPerPeer },
    limits: {
      maxFileBytes: raw.limits?.maxFileBytes ?? DEFAULT_CONFIG.limits.maxFileBytes,
      maxFiles: raw.limits?.maxFiles ?? DEFAULT_CONFIG.limits.maxFiles,
      maxTotalBytes: raw.limits?.maxTotalBytes ?? DEFAULT_CONFIG.limits.maxTotalBytes,
    },
  };
}

export type ParsedConfig = { config: Config; reports: Report<InputRuleId>[]; raw: RawConfig | undefined };

/**
 * Parses config text. `knownRules` comes from the registry (passed in so config does not depend
 * on the checks). A config with problems still yields the valid parts' settings: a typo in one
 * rule's severity must not switch off every other setting.
 */
export function parseConfig(text: string, file: string, knownRules: ReadonlySet<string>): ParsedConfig {
  const reports: Report<InputRuleId>[] = [];
  const lc = new LineCounter();
  // YAML 1.2 on purpose: `off` is a severity here, not the YAML 1.1 boolean manifests get.
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const sdoc = new SourceDoc(file, doc, lc, 0, text);
  const problem = (path: (string | number)[], message: string, part: 'key' | 'value' = 'key') =>
    reports.push({ ...sdoc.span(path, part), rule: 'config', message, value: path.join('.') });

  if (doc.errors[0]) {
    const pos = lc.linePos(doc.errors[0].pos[0]);
    reports.push({
      file,
      line: pos.line,
      column: pos.col,
      endLine: pos.line,
      endColumn: pos.col + 1,
      rule: 'config',
      message: `The config file is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`,
    });
    return { config: DEFAULT_CONFIG, reports, raw: undefined };
  }
  const cycle = mayHaveAnchors(text) ? selfAlias(doc) : undefined;
  if (cycle) {
    reports.push({
      ...spanOfRange(file, lc, cycle.range),
      rule: 'config',
      message: `The config file cannot be read: the alias *${cycle.source} refers to a node that contains it.`,
    });
    return { config: DEFAULT_CONFIG, reports, raw: undefined };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 }) ?? {};
  } catch (e) {
    reports.push({
      ...fileSpan(file),
      rule: 'config',
      message: `The config file cannot be read: ${(e as Error).message}`,
    });
    return { config: DEFAULT_CONFIG, reports, raw: undefined };
  }
  const result = configSchema.safeParse(data);
  let raw: RawConfig;
  if (result.success) raw = result.data;
  else {
    const explain = (issue: z.core.$ZodIssue, base: (string | number)[]): void => {
      const path = [...base, ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')];
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          problem([...path, key], `Unknown key \`${[...path, key].join('.')}\`; see docs/configuration.md.`);
        }
        return;
      }
      // A union (a rule's setting, clusters) names the deepest mistake of its closest option.
      const branch = issue.code === 'invalid_union' ? deepestBranch(issue.errors) : undefined;
      if (branch) for (const sub of branch) explain(sub, path);
      else problem(path, `${path.length ? `\`${path.join('.')}\`` : 'The config'}: ${issue.message}`);
    };
    for (const issue of result.error.issues) explain(issue, []);
    raw = salvage(data);
  }
  // From the data as written: a schema copy drops `__proto__` (an assignment sets the prototype).
  const ruleIds = isRecord(data) && isRecord(data.rules) ? Object.keys(data.rules) : [];
  for (const id of ruleIds) {
    if (!knownRules.has(id))
      problem(['rules', id], `Unknown rule id \`${id}\`; see docs/rules.md for the list.`);
  }
  const globs: [string, (string | number)[]][] = [];
  const lists: [string[] | undefined, (string | number)[]][] = [
    [raw.include, ['include']],
    [raw.exclude, ['exclude']],
    ...Object.entries(raw.clusters && raw.clusters !== 'auto' ? raw.clusters : {}).map(
      ([name, list]): [string[], string[]] => [list, ['clusters', name]],
    ),
  ];
  for (const [list, at] of lists) for (const [i, g] of (list ?? []).entries()) globs.push([g, [...at, i]]);
  const badGlobs = new Set<string>();
  for (const [g, path] of globs) {
    const bad = globProblem(g);
    if (bad) {
      problem(path, `Bad glob \`${g}\`: ${bad}`, 'value');
      badGlobs.add(g);
    }
  }
  if (badGlobs.size) raw = withoutGlobs(raw, badGlobs);
  return { config: resolveConfig(raw), reports, raw };
}

/** The option of a failed union whose mistake lies deepest; none when every option fails at the top. */
function deepestBranch(branches: z.core.$ZodIssue[][]): z.core.$ZodIssue[] | undefined {
  const depth = (i: z.core.$ZodIssue) => i.path.length + (i.code === 'unrecognized_keys' ? 1 : 0);
  let best: z.core.$ZodIssue[] | undefined;
  let bestDepth = 0;
  for (const b of branches) {
    const d = Math.max(0, ...b.map(depth));
    if (d > bestDepth) [best, bestDepth] = [b, d];
  }
  return best;
}

/** A reported bad glob is dropped, so it neither matches by accident nor throws later. */
function withoutGlobs(raw: RawConfig, bad: ReadonlySet<string>): RawConfig {
  const keep = (list: string[] | undefined) => list?.filter((g) => !bad.has(g));
  const clusters =
    raw.clusters && raw.clusters !== 'auto'
      ? Object.fromEntries(Object.entries(raw.clusters).map(([name, list]) => [name, keep(list) ?? []]))
      : raw.clusters;
  return { ...raw, include: keep(raw.include), exclude: keep(raw.exclude), clusters };
}

function globProblem(g: string): string | undefined {
  if (g.startsWith('/')) return 'globs are relative to the repository root; drop the leading /';
  let depth = 0;
  for (const c of g) {
    if (c === '[' || c === '{') depth++;
    if (c === ']' || c === '}') depth--;
    if (depth < 0) return 'a closing bracket has no opening one';
  }
  if (depth !== 0) return 'a bracket is not closed';
  const complex = globComplexity(g);
  if (complex) return `too complex to match safely (${complex}); see docs/configuration.md`;
  try {
    picomatch.makeRe(g, { strictBrackets: true, maxLength: MAX_GLOB_LENGTH });
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

/**
 * Keep every part that validates on its own, as deep as it goes (a key of an object, an entry
 * of a map, an item of a list), so one mistake does not void the rest.
 */
function salvage(data: unknown): RawConfig {
  const kept = keepValid(configSchema, data);
  const r = configSchema.safeParse(kept ?? {});
  return r.success ? r.data : {};
}

function keepValid(schema: z.ZodType, value: unknown): unknown {
  if (schema.safeParse(value).success) return value;
  if (schema instanceof z.ZodOptional) return keepValid(schema.unwrap() as z.ZodType, value);
  if (schema instanceof z.ZodObject && isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const v = keepValid(field, value[key]);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
  if (schema instanceof z.ZodRecord && isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      const v = keepValid(schema.valueType as z.ZodType, entry);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
  if (schema instanceof z.ZodArray && Array.isArray(value)) {
    return value.filter((item) => (schema.element as z.ZodType).safeParse(item).success);
  }
  if (schema instanceof z.ZodUnion) {
    for (const option of schema.options as z.ZodType[]) {
      const v = keepValid(option, value);
      if (v !== undefined && option.safeParse(v).success) return v;
    }
  }
  return undefined;
}
