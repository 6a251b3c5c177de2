// Flux reads substituteFrom ConfigMaps from the Kustomization's own namespace only.
import { describe, expect, it } from 'vitest';
import { type ConfigMapVars, varsOf } from '../../src/gitops/flux.ts';
import type { VarSource } from '../../src/gitops/substitute.ts';

const source = (value: string): VarSource => ({
  file: 'cm.yaml',
  line: 1,
  column: 1,
  endLine: 1,
  endColumn: 1,
  message: 'from a ConfigMap',
  value,
});

const cm = (namespace: string | undefined, value: string): ConfigMapVars => ({
  name: 'cluster-settings',
  namespace,
  file: 'cm.yaml',
  vars: new Map([['LB_RANGE', source(value)]]),
});

const kustomization = {
  namespace: 'flux-system',
  substitute: new Map<string, VarSource>(),
  substituteFrom: [{ kind: 'ConfigMap', name: 'cluster-settings', optional: false, index: 0 }],
};

describe('varsOf', () => {
  it('never takes a ConfigMap of the same name from another namespace', () => {
    const vars = varsOf(kustomization, [cm('apps', '10.0.0.0/24')]);
    expect(vars.has('LB_RANGE')).toBe(false);
  });

  it('takes the one in the Kustomization namespace, or one whose namespace is left to the tooling', () => {
    expect(varsOf(kustomization, [cm('apps', 'a'), cm('flux-system', 'b')]).get('LB_RANGE')?.value).toBe('b');
    expect(varsOf(kustomization, [cm(undefined, 'c')]).get('LB_RANGE')?.value).toBe('c');
  });
});
