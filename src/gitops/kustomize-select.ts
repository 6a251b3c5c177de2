// How kustomize selects resources for a patch or replacement target (types.SelectorRegex, and
// resmap's Select): group, version and kind as written, name and namespace as anchored regular
// expressions matched against any name and namespace the resource had on the way (its original
// and its current id), and Kubernetes label and annotation selectors.
import { isRecord, stringEntries } from '../manifests/load.ts';
import type { Resource } from '../manifests/resource.ts';
import { matchesSelector, type Target } from './patches.ts';

/** The names and namespaces a resource had in the build so far. */
export type Ids = { names: ReadonlySet<string>; namespaces: ReadonlySet<string> };

const anchored = (pattern: string | undefined, values: ReadonlySet<string>): boolean => {
  if (pattern === undefined) return true;
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${pattern})$`);
  } catch {
    return values.has(pattern);
  }
  for (const v of values) if (re.test(v)) return true;
  return false;
};

const gvk = (t: Target, r: Resource): boolean =>
  (t.kind === undefined || t.kind === r.kind) &&
  (t.group === undefined || t.group === r.group) &&
  (t.version === undefined || t.version === r.version);

/** A patch or replacement target (regular expressions for name and namespace). */
export function matchesTarget(t: Target, r: Resource, ids: Ids): boolean {
  const meta = isRecord(r.data.metadata) ? r.data.metadata : {};
  return (
    gvk(t, r) &&
    anchored(t.name, ids.names) &&
    anchored(t.namespace, ids.namespaces) &&
    matchesSelector(t.labelSelector, stringEntries(meta.labels)) &&
    matchesSelector(t.annotationSelector, stringEntries(meta.annotations))
  );
}

/** A replacement source (resid.IsSelectedBy: the fields given, as written). */
export const matchesId = (t: Target, r: Resource, ids: Ids): boolean =>
  gvk(t, r) &&
  (t.name === undefined || ids.names.has(t.name)) &&
  (t.namespace === undefined || ids.namespaces.has(t.namespace));
