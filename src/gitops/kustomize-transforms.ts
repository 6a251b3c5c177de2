// What one kustomization file does to the resources it builds, read in the order `kustomize build`
// runs its built-in transformers (api/internal/target/kusttarget_configplugin.go):
// patchesStrategicMerge, patches, namespace, namePrefix, nameSuffix, patchesJson6902, replacements.
// kustomize-patches.ts applies them; helmCharts are read here too (they make resources).
import { posix } from 'node:path';
import type { Operation } from 'fast-json-patch';
import type { Locator, Path } from '../manifests/document.ts';
import { isRecord } from '../manifests/load.ts';
import { type ChartUse, isWatchedChart, kustomizeHelmChartUse } from './charts.ts';
import type { Tree } from './kustomize.ts';
import { type Replacement, readReplacements } from './kustomize-replacements.ts';
import { EmbeddedLocator } from './locator.ts';
import { readSelector, type Target } from './patches.ts';
import { parseValuesFile, type ValuesLookup } from './values.ts';

export type { Target };

/** One patch: what it selects, and its merge data or operations with where they are written. */
export type Patch = { target: Target | undefined; loc: Locator } & (
  | { smp: Record<string, unknown> }
  | { ops: Operation[] }
);

export type Step =
  | { kind: 'patch'; patch: Patch }
  | { kind: 'namespace'; value: string; loc: Locator }
  /** namePrefix and nameSuffix; `at` is the field the new name points at (namePrefix when set). */
  | { kind: 'rename'; prefix: string; suffix: string; loc: Locator; at: Path }
  | { kind: 'replacement'; replacement: Replacement };

export type Transform = {
  file: string;
  dir: string;
  /** A `kind: Component`: it acts on what the kustomization that includes it has built. */
  component: boolean;
  /** `helmCharts` entries for the purelb and tigera-operator charts, and what could not be read. */
  charts: ChartUse[];
  steps: Step[];
  /** Patch and replacement files it reads: not resources of their own, part of its build. */
  reads: string[];
};

const WORDS =
  /^(?:patches|patchesStrategicMerge|patchesJson6902|namespace|namePrefix|nameSuffix|replacements|helmCharts):/m;

/** Whether a kustomization file's text can hold a transform: a cheap test before any parse. */
export const mayTransform = (text: string | undefined): boolean => text !== undefined && WORDS.test(text);

/** The transforms of every kustomization file that changes or makes resources. */
export function readTransforms(
  tree: Tree,
  read: (file: string) => string | undefined,
  lookup: ValuesLookup,
): Transform[] {
  const out: Transform[] = [];
  for (const k of tree.kustomizations.values()) {
    const text = read(k.file);
    if (text === undefined || !mayTransform(text)) continue;
    const t = readTransform(k.file, k.dir, text, read, lookup);
    if (t) out.push(t);
  }
  return out;
}

function readTransform(
  file: string,
  dir: string,
  text: string,
  read: (file: string) => string | undefined,
  lookup: ValuesLookup,
): Transform | undefined {
  const doc = parseValuesFile(file, text);
  const data: unknown = doc?.doc.toJS({ maxAliasCount: 100 });
  if (!doc || !isRecord(data)) return undefined;
  const t: Transform = {
    file,
    dir,
    component: data.kind === 'Component',
    charts: [],
    steps: [],
    reads: [],
  };
  if (Array.isArray(data.helmCharts)) {
    data.helmCharts.forEach((entry, i) => {
      const use = isRecord(entry) ? kustomizeHelmChartUse(doc, i, entry, dir, lookup) : undefined;
      if (use && isWatchedChart(use.chart)) t.charts.push(use);
    });
  }
  const fromFile = (p: string) => {
    const path = posix.join(dir, p);
    const text = read(path);
    if (text !== undefined) t.reads.push(path);
    return text === undefined ? undefined : parseValuesFile(path, text);
  };
  const patch = (target: Target | undefined, value: unknown, loc: Locator, json: boolean): Step[] => {
    if (Array.isArray(value))
      return [
        { kind: 'patch', patch: { target, loc, ops: value.filter(isRecord) as unknown as Operation[] } },
      ];
    return isRecord(value) && !json ? [{ kind: 'patch', patch: { target, loc, smp: value } }] : [];
  };
  const inline = (at: Path) => {
    const e = new EmbeddedLocator(doc, at);
    return e.ok ? { value: e.data, loc: e as Locator } : undefined;
  };
  const each = (key: string, json: boolean): Step[] => {
    const list = data[key];
    if (!Array.isArray(list)) return [];
    return list.flatMap((p, i): Step[] => {
      if (!isRecord(p)) return [];
      const target = readTarget(p.target);
      if (typeof p.patch === 'string') {
        const e = inline([key, i, 'patch']);
        return e ? patch(target, e.value, e.loc, json) : [];
      }
      if (typeof p.path !== 'string') return [];
      const f = fromFile(p.path);
      return f ? patch(target, f.doc.toJS({ maxAliasCount: 100 }), f, json) : [];
    });
  };
  if (Array.isArray(data.patchesStrategicMerge)) {
    data.patchesStrategicMerge.forEach((p, i) => {
      if (typeof p !== 'string') return;
      // A path, or (kustomize allows it) the patch itself inline.
      const f = p.includes('\n') ? undefined : fromFile(p);
      const e = f
        ? { value: f.doc.toJS({ maxAliasCount: 100 }), loc: f }
        : inline(['patchesStrategicMerge', i]);
      if (e && isRecord(e.value)) t.steps.push(...patch(undefined, e.value, e.loc, false));
    });
  }
  t.steps.push(...each('patches', false));
  if (typeof data.namespace === 'string')
    t.steps.push({ kind: 'namespace', value: data.namespace, loc: doc });
  const prefix = typeof data.namePrefix === 'string' ? data.namePrefix : '';
  const suffix = typeof data.nameSuffix === 'string' ? data.nameSuffix : '';
  if (prefix || suffix)
    t.steps.push({ kind: 'rename', prefix, suffix, loc: doc, at: [prefix ? 'namePrefix' : 'nameSuffix'] });
  t.steps.push(...each('patchesJson6902', true));
  for (const replacement of readReplacements(doc, data, fromFile))
    t.steps.push({ kind: 'replacement', replacement });
  return t.steps.length || t.charts.length ? t : undefined;
}

const readTarget = (v: unknown): Target | undefined => (isRecord(v) ? readSelector(v) : undefined);
