// How a GitOps controller sees the repository: chart values that create watched resources,
// Flux `${VAR}` substitution, clusters derived from Flux Kustomizations or kustomize roots.
import type { Config } from '../config.ts';
import type { Report } from '../findings.ts';
import type { Loaded } from '../manifests/load.ts';
import type { Resource } from '../manifests/resource.ts';
import type { Scope } from '../manifests/scope.ts';

/** Kinds whose documents must be parsed for this module to work. */
export const GITOPS_WATCH_WORDS: readonly string[] = [];

export type GitOpsView = {
  /** The watched resources after chart expansion and substitution. */
  resources: Resource[];
  reports: Report[];
  /** Scopes derived from the repository's layout, when config asks for (or defaults to) `clusters: auto`. */
  scopes?: Scope[];
};

export function prepareGitOps(loaded: Loaded, _config: Config): GitOpsView {
  return { resources: loaded.resources, reports: [] };
}
