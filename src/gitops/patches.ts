// A parent Flux Kustomization's `spec.patches` that set `postBuild` on the Kustomizations it
// applies. The common homelab layout (onedr0p's cluster-template and its many descendants) gives
// each app's Kustomization no postBuild of its own: the `cluster-apps` parent patches every child
// with `substituteFrom: cluster-settings`. Without this, every `${VAR}` there would stay unresolved.
import type { Locator, Path, SourceDoc } from '../manifests/document.ts';
import { isRecord } from '../manifests/load.ts';
import { EmbeddedLocator } from './locator.ts';
import type { VarSource } from './substitute.ts';

export type SubstituteRef = { kind: string; name: string; optional: boolean; index: number };

/** The postBuild variables a Kustomization substitutes with. */
export type PostBuild = { substitute: Map<string, VarSource>; substituteFrom: SubstituteRef[] };

/** What one patch does to a child's postBuild: a strategic merge replaces lists and merges maps. */
export type PostBuildPatch = {
  target: Target;
  /** Replaces the child's postBuild entirely (JSON6902 on /spec/postBuild). */
  replaceAll: boolean;
  substitute?: Map<string, VarSource>;
  /** Replaces the child's list (a list in a CRD has no merge key, so strategic merge replaces it). */
  substituteFrom?: SubstituteRef[];
  /** Entries added with JSON6902 `add` on /spec/postBuild/substituteFrom/-. */
  appendFrom?: SubstituteRef[];
};

/**
 * A selector as written in a kustomization or a Flux Kustomization's `patches` (a patch target, a
 * replacement's select/reject/source): kustomize's types.Selector.
 */
export type Target = {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
};

const SELECTOR_KEYS = [
  'group',
  'version',
  'kind',
  'name',
  'namespace',
  'labelSelector',
  'annotationSelector',
] as const;

/** A selector's string fields as written; anything else is left out. */
export function readSelector(v: unknown): Target {
  const o = isRecord(v) ? v : {};
  const t: Target = {};
  for (const k of SELECTOR_KEYS) {
    const s = o[k];
    if (typeof s === 'string') t[k] = s;
  }
  return t;
}

const FLUX_GROUP = 'kustomize.toolkit.fluxcd.io';
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** `postBuild.substitute` as variable sources, positions from `loc` below `base`. */
export function readSubstitute(
  value: unknown,
  loc: Locator,
  base: Path,
  owner: string,
): Map<string, VarSource> {
  const out = new Map<string, VarSource>();
  if (!isRecord(value)) return out;
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
    const text = String(v);
    out.set(key, {
      ...loc.span([...base, key]),
      message: `\${${key}} = "${text}" (postBuild.substitute of ${owner})`,
      value: text,
    });
  }
  return out;
}

export function readSubstituteFrom(value: unknown): SubstituteRef[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((r, index) => {
    if (!isRecord(r) || typeof r.name !== 'string') return [];
    return [{ kind: str(r.kind) ?? 'ConfigMap', name: r.name, optional: r.optional === true, index }];
  });
}

/** The patches of a Flux Kustomization (`doc`, data `spec`) that touch its children's postBuild. */
export function readPostBuildPatches(doc: SourceDoc, spec: unknown, owner: string): PostBuildPatch[] {
  if (!isRecord(spec) || !Array.isArray(spec.patches)) return [];
  const out: PostBuildPatch[] = [];
  spec.patches.forEach((p, i) => {
    if (!isRecord(p) || typeof p.patch !== 'string' || !p.patch.includes('postBuild')) return;
    const target = readSelector(p.target);
    const loc = new EmbeddedLocator(doc, ['spec', 'patches', i, 'patch']);
    if (!loc.ok) return;
    const who = `the patch of Flux Kustomization ${owner}`;
    const patch = Array.isArray(loc.data)
      ? json6902(loc.data, loc, who, target)
      : merge(loc.data, loc, who, target);
    if (patch) out.push(patch);
  });
  return out;
}

function merge(data: unknown, loc: Locator, who: string, target: Target): PostBuildPatch | undefined {
  if (!isRecord(data)) return undefined;
  const kind = str(data.kind);
  if (kind !== undefined && kind !== 'Kustomization') return undefined;
  const postBuild = isRecord(data.spec) ? data.spec.postBuild : undefined;
  if (!isRecord(postBuild)) return undefined;
  // A patch without a target selects by its own kind and name.
  const t: Target = { ...target };
  if (!target.kind && !target.name && isRecord(data.metadata) && typeof data.metadata.name === 'string') {
    t.kind = 'Kustomization';
    t.name = data.metadata.name;
  }
  const patch: PostBuildPatch = { target: t, replaceAll: false };
  if (postBuild.substitute !== undefined)
    patch.substitute = readSubstitute(postBuild.substitute, loc, ['spec', 'postBuild', 'substitute'], who);
  if (postBuild.substituteFrom !== undefined)
    patch.substituteFrom = readSubstituteFrom(postBuild.substituteFrom);
  return patch;
}

function json6902(ops: unknown[], loc: Locator, who: string, target: Target): PostBuildPatch | undefined {
  const patch: PostBuildPatch = { target, replaceAll: false };
  let touched = false;
  ops.forEach((op, i) => {
    if (!isRecord(op) || (op.op !== 'add' && op.op !== 'replace') || typeof op.path !== 'string') return;
    const v = op.value;
    const at: Path = [i, 'value'];
    switch (op.path) {
      case '/spec/postBuild':
        if (!isRecord(v)) return;
        patch.replaceAll = true;
        patch.substitute = readSubstitute(v.substitute, loc, [...at, 'substitute'], who);
        patch.substituteFrom = readSubstituteFrom(v.substituteFrom);
        break;
      case '/spec/postBuild/substitute':
        patch.substitute = readSubstitute(v, loc, at, who);
        break;
      case '/spec/postBuild/substituteFrom':
        patch.substituteFrom = readSubstituteFrom(v);
        break;
      case '/spec/postBuild/substituteFrom/-':
        patch.appendFrom = [...(patch.appendFrom ?? []), ...readSubstituteFrom([v])];
        break;
      default: {
        const m = /^\/spec\/postBuild\/substitute\/([^/]+)$/.exec(op.path);
        if (!m) return;
        const key = m[1]!.replace(/~1/g, '/').replace(/~0/g, '~');
        const one = readSubstitute({ [key]: v }, loc, [], who);
        const src = one.get(key);
        if (src)
          patch.substitute = new Map([...(patch.substitute ?? []), [key, { ...src, ...loc.span(at) }]]);
      }
    }
    touched = true;
  });
  return touched ? patch : undefined;
}

/** What a patch target is matched against. */
export type Candidate = {
  name: string;
  namespace: string | undefined;
  labels: Record<string, string>;
  annotations: Record<string, string>;
};

/** kustomize matches name and namespace as anchored regular expressions. */
function matchesPattern(pattern: string | undefined, value: string | undefined): boolean {
  if (pattern === undefined) return true;
  try {
    return new RegExp(`^(?:${pattern})$`).test(value ?? '');
  } catch {
    return pattern === value;
  }
}

/** One requirement of a Kubernetes label selector. */
type Requirement = { key: string; op: 'in' | 'notin' | 'exists' | '!'; values: string[] };

const KEY = '[A-Za-z0-9](?:[\\w./-]*[A-Za-z0-9])?';
const VALUE = '(?:[A-Za-z0-9](?:[\\w.-]*[A-Za-z0-9])?)?';
const EQUALITY = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(${VALUE})$`);
const SET = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^()]*)\\)$`);
const EXISTS = new RegExp(`^(!?)\\s*(${KEY})$`);
const ONE_VALUE = new RegExp(`^${VALUE}$`);

/**
 * A label selector string as Kubernetes parses it (k8s.io/apimachinery labels.Parse): comma-separated
 * requirements, equality-based (`a=b`, `a==b`, `a!=b`) or set-based (`a in (x,y)`, `a notin (x)`,
 * `a`, `!a`). Undefined when it does not parse: kustomize then fails the build, so nothing matches.
 */
export function parseSelector(selector: string): Requirement[] | undefined {
  const out: Requirement[] = [];
  // Commas separate requirements except inside the parentheses of a set.
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
    if (depth < 0 || depth > 1) return undefined;
  }
  terms.push(selector.slice(start));
  for (const raw of terms) {
    const term = raw.trim();
    let m = EQUALITY.exec(term);
    if (m) {
      out.push({ key: m[1]!, op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]!] });
      continue;
    }
    m = SET.exec(term);
    if (m) {
      const values = m[3]!.split(',').map((v) => v.trim());
      if (values.some((v) => !ONE_VALUE.test(v))) return undefined;
      out.push({ key: m[1]!, op: m[2] === 'in' ? 'in' : 'notin', values });
      continue;
    }
    m = EXISTS.exec(term);
    if (!m) return undefined;
    out.push({ key: m[2]!, op: m[1] ? '!' : 'exists', values: [] });
  }
  return out;
}

/** Kubernetes semantics: `notin` and `!=` also match an object without the key. */
export function matchesSelector(selector: string | undefined, values: Record<string, string>): boolean {
  if (selector === undefined || selector.trim() === '') return true;
  const reqs = parseSelector(selector);
  if (!reqs) return false;
  return reqs.every((r) => {
    const has = Object.hasOwn(values, r.key);
    if (r.op === 'exists') return has;
    if (r.op === '!') return !has;
    const member = has && r.values.includes(values[r.key]!);
    return r.op === 'in' ? member : !member;
  });
}

export function targets(t: Target, c: Candidate): boolean {
  if (t.kind !== undefined && t.kind !== 'Kustomization') return false;
  if (t.group !== undefined && t.group !== FLUX_GROUP) return false;
  return (
    matchesPattern(t.name, c.name) &&
    matchesPattern(t.namespace, c.namespace) &&
    matchesSelector(t.labelSelector, c.labels) &&
    matchesSelector(t.annotationSelector, c.annotations)
  );
}

/** `own` after `patch`, as Flux's kustomize build of the parent would leave the child. */
export function applyPatch(own: PostBuild, patch: PostBuildPatch): PostBuild {
  if (patch.replaceAll) {
    return { substitute: new Map(patch.substitute), substituteFrom: [...(patch.substituteFrom ?? [])] };
  }
  const substitute = new Map(own.substitute);
  for (const [k, v] of patch.substitute ?? []) substitute.set(k, v);
  const substituteFrom = [...(patch.substituteFrom ?? own.substituteFrom), ...(patch.appendFrom ?? [])];
  return { substitute, substituteFrom };
}
