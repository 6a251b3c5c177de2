// kustomize `configMapGenerator` as Flux sees it: a `cluster-settings` generated from literals,
// env files or files is a ConfigMap like a written one, each variable pointing at the line that set
// it; a HelmRelease's `valuesFrom` reads a generated `values.yaml` key as the file it came from.
// `secretGenerator` entries stay unread (as every Secret does).
import { posix } from 'node:path';
import type { Span } from '../findings.ts';
import { isRecord, type SourceFile, textReader } from '../manifests/load.ts';
import type { Resource } from '../manifests/resource.ts';
import type { ConfigMapVars } from './flux.ts';
import { isKustomizationFile } from './kustomize.ts';
import { SpanLocator } from './locator.ts';
import type { VarSource } from './substitute.ts';
import { parseValuesFile } from './values.ts';

/** `KEY=VALUE` lines of an env file (kustomize's `envs`): blank lines and `#` comments skipped. */
function envVars(file: string, text: string, owner: string): Map<string, VarSource> {
  const out = new Map<string, VarSource>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const m = /^\s*([^#=\s][^=]*?)\s*=(.*)$/.exec(line);
    if (!m) return;
    const value = m[2]!;
    const column = line.indexOf('=') + 2;
    out.set(m[1]!, {
      file,
      line: i + 1,
      column,
      endLine: i + 1,
      endColumn: column + value.length,
      message: `\${${m[1]}} = "${value}" from ${owner}`,
      value,
    });
  });
  return out;
}

/**
 * The ConfigMaps the kustomization files among `files` generate under one of `names`, as variable
 * sources. Only files that mention `configMapGenerator` and a wanted name are parsed.
 */
export function generatedConfigMaps(
  files: readonly SourceFile[],
  names: ReadonlySet<string>,
  asBuilt = true,
): ConfigMapVars[] {
  const read = textReader(files);
  const out: ConfigMapVars[] = [];
  for (const f of files) {
    if (!isKustomizationFile(f.path)) continue;
    const text = read(f.path)!;
    const renames = /^name(?:Prefix|Suffix):/m.test(text);
    if (!text.includes('configMapGenerator') || !(renames || [...names].some((n) => text.includes(n))))
      continue;
    const doc = parseValuesFile(f.path, text);
    const data: unknown = doc?.doc.toJS({ maxAliasCount: 100 });
    if (!doc || !isRecord(data) || !Array.isArray(data.configMapGenerator)) continue;
    const dir = posix.dirname(f.path) === '.' ? '' : posix.dirname(f.path);
    const namespace = typeof data.namespace === 'string' ? data.namespace : undefined;
    // kustomize renames what it generates too: the cluster (and Flux's substituteFrom) sees
    // `prod-cluster-settings`. A replacement's source is built through the rename instead.
    const prefix = asBuilt && typeof data.namePrefix === 'string' ? data.namePrefix : '';
    const suffix = asBuilt && typeof data.nameSuffix === 'string' ? data.nameSuffix : '';
    data.configMapGenerator.forEach((g, gi) => {
      if (!isRecord(g) || typeof g.name !== 'string' || !names.has(`${prefix}${g.name}${suffix}`)) return;
      const owner = `ConfigMap ${g.name} (configMapGenerator of ${f.path})`;
      const vars = new Map<string, VarSource>();
      const keyFiles = new Map<string, string>();
      const base = ['configMapGenerator', gi] as const;
      // kustomize reads files, then envs, then literals; a later key would be a build error.
      if (Array.isArray(g.files)) {
        g.files.forEach((entry) => {
          if (typeof entry !== 'string') return;
          const eq = entry.indexOf('=');
          const key = eq < 0 ? posix.basename(entry) : entry.slice(0, eq);
          const path = posix.join(dir, eq < 0 ? entry : entry.slice(eq + 1));
          const value = read(path);
          if (value === undefined) return;
          keyFiles.set(key, path);
          vars.set(key, {
            file: path,
            line: 1,
            column: 1,
            endLine: 1,
            endColumn: 1,
            message: `\${${key}} = the file ${path} (${owner})`,
            value,
          });
        });
      }
      const envs = [...(Array.isArray(g.envs) ? g.envs : []), ...(typeof g.env === 'string' ? [g.env] : [])];
      for (const e of envs) {
        if (typeof e !== 'string') continue;
        const path = posix.join(dir, e);
        const text = read(path);
        if (text !== undefined) for (const [k, v] of envVars(path, text, owner)) vars.set(k, v);
      }
      if (Array.isArray(g.literals)) {
        g.literals.forEach((lit, li) => {
          if (typeof lit !== 'string') return;
          const eq = lit.indexOf('=');
          if (eq <= 0) return;
          const key = lit.slice(0, eq);
          const value = lit.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2');
          vars.set(key, {
            ...doc.span([...base, 'literals', li]),
            message: `\${${key}} = "${value}" from ${owner}`,
            value,
          });
        });
      }
      out.push({
        name: `${prefix}${g.name}${suffix}`,
        namespace: typeof g.namespace === 'string' ? g.namespace : namespace,
        file: f.path,
        vars,
        files: keyFiles,
      });
    });
  }
  return out;
}

/** A generated ConfigMap as a resource (a replacement source), each data key at the line that set it. */
export function generatedResource(cm: ConfigMapVars): Resource {
  const data: Record<string, unknown> = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: cm.name, ...(cm.namespace === undefined ? {} : { namespace: cm.namespace }) },
    data: Object.fromEntries([...cm.vars].map(([k, v]) => [k, v.value])),
  };
  const spans = new Map<string, Span>();
  for (const [k, v] of cm.vars) {
    const { message: _m, value: _v, ...span } = v;
    spans.set(SpanLocator.key(['data', k]), span);
  }
  const whole: Span = { file: cm.file, line: 1, column: 1, endLine: 1, endColumn: 1 };
  const r: Resource = {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    group: '',
    version: 'v1',
    name: cm.name,
    file: cm.file,
    doc: new SpanLocator(cm.file, spans, whole, data),
    data,
    annotations: {},
  };
  if (cm.namespace !== undefined) r.namespace = cm.namespace;
  return r;
}
