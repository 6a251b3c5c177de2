// Section A: reported while reading files and config, before any rule runs.
import { defineRule } from './registry.ts';

const family = 'input';

export const inputRules = [
  defineRule({
    id: 'yaml-syntax',
    family,
    reportedBy: 'manifests/load.ts (and gitops/charts.ts for chart values)',
    severity: 'error',
    title: 'A manifest that mentions a watched kind does not parse',
    rationale:
      'Flux and Argo CD stop applying a kustomization when one file fails to parse, so every change after it is silently not deployed. A broken document of any kind (a Deployment beside a ServiceGroup) breaks its whole file, so every document of a file that holds a watched kind is parse-checked; files of workloads alone are not read.',
    remediation:
      'Fix the YAML at the reported position (indentation, an unclosed bracket or quote, a duplicate key).',
    evidence: ['yaml 1.2 specification; kubectl apply rejects documents that do not parse'],
  }),
  defineRule({
    id: 'template-skipped',
    family,
    unread: true,
    reportedBy: 'manifests/load.ts',
    severity: 'notice',
    title: 'A Helm/Go template was skipped',
    rationale:
      'A template document is not a manifest until rendered; lbguard cannot check what it cannot read. Only documents that could hold a PureLB or Calico resource (or a purelb/tigera-operator chart) are noticed; other templated documents are counted in the summary, and the plain documents of the same file are checked.',
    remediation:
      'Check the rendered output (helm template ... | lbguard check -) or exclude the folder in config.',
    evidence: ['Helm template syntax ({{ ... }})'],
  }),
  defineRule({
    id: 'resource-shape',
    family,
    reportedBy: 'manifests/model.ts',
    severity: 'error',
    title: 'A watched resource has a field of the wrong type or misses a required one',
    rationale:
      'The API server rejects the resource (or the controller ignores it), so nothing it configures takes effect.',
    remediation: 'Give the field the type the CRD expects (a string, not a list; an integer, not a string).',
    evidence: ['purelb pkg/apis/purelb/v2/types.go', 'calico api/pkg/apis/projectcalico/v3/ippool.go'],
  }),
  defineRule({
    id: 'calico-not-in-scope',
    family,
    reportedBy: 'engine.ts (once per scope that skipped section D)',
    severity: 'notice',
    title: 'Cross-checks against Calico were skipped: no Calico resource in this scope',
    rationale:
      'PureLB pools can only be checked against the BGP export rules when the IPPools and BGPConfiguration are in the same scope.',
    remediation:
      'If Calico is managed in another repository, nothing to do. If it is in this one, put its files in the same cluster in config.',
    evidence: ['calico confd bird.cfg.template (export filter built from IPPools)'],
  }),
  defineRule({
    id: 'file-skipped',
    family,
    unread: true,
    reportedBy: 'manifests/load.ts',
    severity: 'notice',
    title: 'A manifest file was not read',
    rationale:
      'Over the size limit, in no encoding kubectl reads (UTF-8, or UTF-16 with or without a BOM), over the YAML alias limit, or not readable at all (permissions): reading it could exhaust memory or time, and what was not read was not checked.',
    remediation:
      'Split the file, re-encode it as UTF-8, make it readable, or raise limits.maxFileBytes in config.',
    evidence: ['YAML billion-laughs (alias expansion) attacks'],
  }),
  defineRule({
    id: 'config',
    family,
    reportedBy: 'config.ts (and github/config.ts when the file cannot be fetched)',
    severity: 'error',
    title: 'The lbguard config file has a problem',
    rationale:
      'A misspelt key or rule id would otherwise be ignored, and the check would not be the one you asked for.',
    remediation: 'Fix the key at the reported position; docs/configuration.md lists every key.',
    evidence: ['docs/configuration.md'],
  }),
  defineRule({
    id: 'value-unresolved',
    family,
    unread: true,
    reportedBy:
      'manifests/placeholders.ts (variables), gitops/charts.ts and gitops/values.ts (values sources), gitops/remote.ts (remote sources), gitops/operator.ts (ResourceSets)',
    severity: 'notice',
    title: 'A watched value, or a source that can make one, could not be read',
    rationale:
      'Flux fills ${VAR} in at apply time; chart values, ExternalArtifacts and remote bases can come from Secrets or other repositories; a Flux Kustomization, an Argo CD Application or a FluxInstance can apply another repository or an OCI artifact, and a flux-operator ResourceSet makes resources from templates. Without them, rules that need the value cannot judge it and what the source adds is not checked; lbguard names each one rather than guessing, and counts them as inputs not read.',
    remediation:
      'For ${VAR}: keep the variable in a ConfigMap named by the Flux Kustomization postBuild.substituteFrom, in the same repository and scope. For a Secret or another repository: check the rendered output (`flux build ks ... | lbguard check -`, `helm template ... | lbguard check -`).',
    evidence: ['Flux kustomize-controller post-build variable substitution'],
  }),
  defineRule({
    id: 'ignore-unknown-rule',
    family,
    reportedBy: 'manifests/ignore.ts',
    severity: 'warning',
    title: 'An lbguard.dev/ignore annotation names a rule id that does not exist',
    rationale:
      'A misspelt id suppresses nothing, so the finding it was meant to silence keeps coming back, or a later rule with a similar name is silenced by surprise; either way the annotation no longer says what it does.',
    remediation:
      'Use an id from `lbguard rules` (the message suggests the nearest one), as `lbguard.dev/ignore: "rule-a,rule-b: why"`.',
    evidence: ['docs/rules.md (the ids are a public contract)'],
  }),
];

/** The ids the readers report: a typo in a reader is a type error, not a finding no one documents. */
export type InputRuleId = (typeof inputRules)[number]['id'];
