// Chart values from more than one place, merged as the controller merges them, each value
// pointing at where it is written: Flux HelmRelease `valuesFrom` (ConfigMaps in this repository)
// under `spec.values`; Argo CD `helm.valueFiles` under `helm.parameters`; k3s HelmChartConfig
// over HelmChart. A source that cannot be read here (a Secret, a ConfigMap or values file that is
// not in the repository) is a gap: one `value-unresolved` notice at the line that names it.
import { LineCounter, parseDocument } from 'yaml';
import type { InputRuleId } from '../checks/input.ts';
import type { Report } from '../findings.ts';
import { type Locator, type Path, SourceDoc } from '../manifests/document.ts';
import { isRecord } from '../manifests/load.ts';
import type { Other } from './flux.ts';
import { EmbeddedLocator, type Target } from './locator.ts';
import { valueAt } from './substitute.ts';

/** One source of values: what it sets and where each of its values is written. */
export type Layer = { values: Record<string, unknown>; at: (path: Path) => Target };

/** What chart hosts can read besides themselves. */
export type ValuesLookup = {
  /** A ConfigMap of this repository by name, in `namespace` when one has it. */
  configMap: (name: string, namespace: string | undefined) => Other | undefined;
  /**
   * One data key of a ConfigMap a kustomize configMapGenerator makes from a whole file (`files:`),
   * parsed with positions in that file; undefined when no generator makes that key from a file.
   */
  generated?: (name: string, namespace: string | undefined, key: string) => SourceDoc | undefined;
  /** A repository file parsed as one YAML document (a values file), or undefined when absent. */
  yamlFile: (path: string) => SourceDoc | undefined;
  /** The OCIRepository of this repository a HelmRelease's `chartRef` names, in `namespace` when one has it. */
  ociRepository?: (name: string, namespace: string | undefined) => Other | undefined;
};

export const NO_LOOKUP: ValuesLookup = { configMap: () => undefined, yamlFile: () => undefined };

export function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isRecord(prev) && isRecord(v) ? deepMerge(prev, v) : v;
  }
  return out;
}

/**
 * Layers merged, later ones winning; a path is placed in the last layer that sets it, else in
 * `fallback` (the host's own values, where an edit would go).
 */
export function layered(layers: readonly Layer[], fallback: (path: Path) => Target): Layer {
  let values: Record<string, unknown> = {};
  for (const l of layers) values = deepMerge(values, l.values);
  return {
    values,
    at: (path) => {
      for (let i = layers.length - 1; i >= 0; i--)
        if (valueAt(layers[i]!.values, path) !== undefined) return layers[i]!.at(path);
      return fallback(path);
    },
  };
}

/** `a.b[0].c` (Helm's --set / Flux targetPath syntax) as a path; undefined when it is not that simple. */
export function dottedPath(s: string): Path | undefined {
  const out: (string | number)[] = [];
  for (const part of s.split('.')) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    out.push(m[1]!);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** `values` with `value` set at `path` (lists grow as Helm's strvals does). */
export function setAt(path: Path, value: unknown): Record<string, unknown> {
  let v: unknown = value;
  for (let i = path.length - 1; i >= 0; i--) {
    const seg = path[i]!;
    if (typeof seg === 'number') {
      const list: unknown[] = [];
      list[seg] = v;
      v = list;
    } else v = { [seg]: v };
  }
  return isRecord(v) ? v : {};
}

/** Helm's `--set` typing: true/false, integers, null; anything else stays a string. */
export function typedValue(s: string): unknown {
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s === 'null') return null;
  if (/^-?(?:0|[1-9]\d*)$/.test(s) && Number.isSafeInteger(Number(s))) return Number(s);
  return s;
}

const gap = (loc: Locator, path: Path, message: string, value: string): Report<InputRuleId> => ({
  ...loc.span(path),
  rule: 'value-unresolved',
  message,
  value,
});

/**
 * Flux HelmRelease `spec.valuesFrom`: each ConfigMap entry (data key `valuesKey`, default
 * `values.yaml`) is a layer, in order; `targetPath` sets one value to the key's text instead.
 * Secrets and ConfigMaps not in the repository are gaps (an `optional` one is skipped silently,
 * as Flux skips it when missing, but a Secret is still a gap: it exists, lbguard cannot read it).
 */
export function helmReleaseValuesFrom(
  host: SourceDoc,
  spec: Record<string, unknown>,
  namespace: string | undefined,
  lookup: ValuesLookup,
): { layers: Layer[]; gaps: Report<InputRuleId>[] } {
  const layers: Layer[] = [];
  const gaps: Report<InputRuleId>[] = [];
  if (!Array.isArray(spec.valuesFrom)) return { layers, gaps };
  spec.valuesFrom.forEach((ref, i) => {
    if (!isRecord(ref) || typeof ref.name !== 'string') return;
    const here: Path = ['spec', 'valuesFrom', i, 'name'];
    const kind = typeof ref.kind === 'string' ? ref.kind : 'ConfigMap';
    const key = typeof ref.valuesKey === 'string' ? ref.valuesKey : 'values.yaml';
    const what = `${kind} ${ref.name}${key === 'values.yaml' ? '' : ` (key ${key})`}`;
    if (kind !== 'ConfigMap') {
      gaps.push(
        gap(
          host,
          here,
          `Values from ${what} are not read (lbguard never reads Secrets): the chart's resources are checked without them.`,
          `valuesFrom:${kind}/${ref.name}`,
        ),
      );
      return;
    }
    const cm = lookup.configMap(ref.name, namespace);
    const made = cm ? undefined : lookup.generated?.(ref.name, namespace, key);
    if (made) {
      const layer = generatedLayer(made, ref.targetPath);
      if (layer) layers.push(layer);
      else
        gaps.push(
          gap(
            host,
            here,
            `Values from ${what} are not read: the generated ${key} is not a YAML map.`,
            `valuesFrom:ConfigMap/${ref.name}`,
          ),
        );
      return;
    }
    const text = cm && isRecord(cm.data.data) ? cm.data.data[key] : undefined;
    if (!cm || typeof text !== 'string' || !(cm.doc instanceof SourceDoc)) {
      if (ref.optional === true && !cm) return;
      gaps.push(
        gap(
          host,
          here,
          `Values from ${what} are not read: ${cm ? `it has no data key ${key}` : 'no such ConfigMap in this repository'}; the chart's resources are checked without them.`,
          `valuesFrom:ConfigMap/${ref.name}`,
        ),
      );
      return;
    }
    const keyPath: Path = ['data', key];
    if (typeof ref.targetPath === 'string') {
      const path = dottedPath(ref.targetPath);
      if (!path) return;
      layers.push({
        values: setAt(path, typedValue(text.trim())),
        at: () => ({ loc: cm.doc, path: keyPath }),
      });
      return;
    }
    const inner = new EmbeddedLocator(cm.doc, keyPath);
    if (!inner.ok || !isRecord(inner.data)) {
      gaps.push(
        gap(
          host,
          here,
          `Values from ${what} are not read: its ${key} is not a YAML map.`,
          `valuesFrom:ConfigMap/${ref.name}`,
        ),
      );
      return;
    }
    layers.push({ values: inner.data, at: (path) => ({ loc: inner, path }) });
  });
  return { layers, gaps };
}

/** A values layer from a generated ConfigMap key: the whole file, or its text at `targetPath`. */
function generatedLayer(doc: SourceDoc, targetPath: unknown): Layer | undefined {
  if (typeof targetPath === 'string') {
    const path = dottedPath(targetPath);
    return path
      ? { values: setAt(path, typedValue(doc.text.trim())), at: () => ({ loc: doc, path: [] }) }
      : undefined;
  }
  const values: unknown = doc.doc.toJS({ maxAliasCount: 100 });
  return isRecord(values) ? { values, at: (path) => ({ loc: doc, path }) } : undefined;
}

/** A values file parsed on its own, positions in that file. */
export function parseValuesFile(path: string, text: string): SourceDoc | undefined {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, logLevel: 'error' });
  if (doc.errors.length > 0) return undefined;
  return new SourceDoc(path, doc, lc, 0, text);
}
