import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../src/checks/index.ts';
import { CONFIG_PATH, parseConfig } from '../../src/config.ts';
import { analyzeFiles, where, withRule } from '../helpers.ts';

const read = (text: string) => parseConfig(text, CONFIG_PATH, RULE_IDS);
const at = (r: ReturnType<typeof read>) => r.reports.map((x) => `${x.line}:${x.column}`);

describe('config: each problem points at its key', () => {
  it('reports an unknown key, top-level and nested', () => {
    // Arrange / Act
    const r = read('failon: all\nlimits:\n  maxFileByte: 10\n');

    // Assert
    expect(at(r).sort()).toEqual(['1:1', '3:3']);
    expect(r.reports.map((x) => x.message).sort()).toEqual([
      'Unknown key `failon`; see docs/configuration.md.',
      'Unknown key `limits.maxFileByte`; see docs/configuration.md.',
    ]);
    expect(r.reports.every((x) => x.rule === 'config')).toBe(true);
  });

  it('reports a wrong type at the key, and a list item at the item', () => {
    // Arrange / Act
    const r = read('failOn: 3\npush:\n  enabled: "yes"\ninclude: ["apps/**", 4]\n');

    // Assert
    expect(at(r).sort()).toEqual(['1:1', '3:3', '4:22']);
  });

  it('reports an unknown rule id and a bad severity at the rule key', () => {
    // Arrange / Act
    const r = read('rules:\n  sg-pool-overlapp: off\n  resource-shape: loud\n');

    // Assert
    expect(r.reports.map((x) => `${x.line}:${x.column} ${x.message}`).sort()).toEqual([
      '2:3 Unknown rule id `sg-pool-overlapp`; see docs/rules.md for the list.',
      '3:3 `rules.resource-shape`: expected error, warning, notice or off, or { severity, allowIgnore }',
    ]);
  });

  it('names the deepest mistake inside a union', () => {
    // Arrange / Act
    const r = read('rules:\n  resource-shape: {severity: loud}\nclusters:\n  lab: lab/**\n');

    // Assert
    expect(r.reports.map((x) => `${x.line}:${x.column} ${x.value}`).sort()).toEqual([
      '2:20 rules.resource-shape.severity',
      '4:3 clusters.lab',
    ]);
  });

  it('reports a bad glob at the glob, and drops it', () => {
    // Arrange / Act
    const r = read('exclude:\n  - "charts/[abc"\n  - "tmp/**"\nclusters:\n  lab: ["/abs/**"]\n');

    // Assert
    expect(at(r)).toEqual(['2:5', '5:9']);
    expect(r.config.exclude).toEqual(['tmp/**']);
    expect(r.config.clusters).toEqual({ lab: [] });
  });

  it('reports YAML that does not parse at the parser position', () => {
    // Arrange / Act
    const r = read('failOn: all\nrules:\n  a: b\n b: c\n');

    // Assert
    expect(at(r)).toEqual(['4:1']);
    expect(r.reports[0]!.message).toContain('not valid YAML');
  });

  it('is quiet on a valid config that uses every top-level key', () => {
    // Arrange
    const text = `_extends: .github
include: ["**/*.yaml"]
exclude: ["charts/**"]
clusters:
  lab: ["clusters/lab/**", "infrastructure/**"]
communities:
  required: ["64512:100"]
rules:
  lb-community-missing: error
  sg-namespace: { severity: off }
  resource-shape: { allowIgnore: false }
network:
  nodeSubnets: ["192.168.1.0/24"]
purelb:
  namespace: purelb
calico:
  apiVersion: crd.projectcalico.org/v1
failOn: all
fixes:
  mode: suggest
  directory: infrastructure/calico
push:
  enabled: false
limits:
  maxFileBytes: 1000000
  maxFiles: 1000
  maxTotalBytes: 100000000
`;

    // Act
    const r = read(text);

    // Assert
    expect(r.reports).toEqual([]);
    expect(r.config).toMatchObject({
      failOn: 'all',
      purelbNamespace: 'purelb',
      pushEnabled: false,
      fixes: { mode: 'suggest', directory: 'infrastructure/calico' },
      limits: { maxFileBytes: 1000000, maxFiles: 1000, maxTotalBytes: 100000000 },
      rules: { 'sg-namespace': { severity: 'off' }, 'resource-shape': { allowIgnore: false } },
    });
  });
});

describe('config: a typo does not void the other settings', () => {
  it('keeps every valid sibling of a bad value, at any depth', () => {
    // Arrange
    const text = `failOn: all
rules:
  resource-shape: warn
  file-skipped: off
  yaml-syntax: { severity: loud, allowIgnore: false }
limits:
  maxFileBytes: big
  maxFiles: 10
network:
  nodeSubnets: ["192.168.1.0/24", "not-a-cidr"]
`;

    // Act
    const r = read(text);

    // Assert
    expect(at(r).sort()).toEqual(['10:35', '3:3', '5:18', '7:3']);
    expect(r.config.failOn).toBe('all');
    expect(r.config.rules).toEqual({
      'file-skipped': { severity: 'off' },
      'yaml-syntax': { allowIgnore: false },
    });
    expect(r.config.limits.maxFiles).toBe(10);
    expect(r.config.limits.maxFileBytes).toBe(2 * 1024 * 1024);
    expect(r.config.nodeSubnets).toEqual(['192.168.1.0/24']);
  });

  it('reports a config that is not a map and falls back to defaults', () => {
    // Arrange / Act
    const r = read('- rules\n');

    // Assert
    expect(at(r)).toEqual(['1:1']);
    expect(r.config.failOn).toBe('new');
  });
});

const ippoolWithoutCidr = (annotations: string) => `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: lb
${annotations}spec:
  disabled: true
`;

describe('config through the engine: severities, off and suppression', () => {
  it('reports a config finding on the config file itself', () => {
    // Arrange / Act
    const a = analyzeFiles({ '.github/lbguard.yml': 'failOn: sometimes\n' });

    // Assert
    expect(where(withRule(a, 'config'))).toEqual(['.github/lbguard.yml:1:1']);
  });

  it('overrides a severity and turns a rule off', () => {
    // Arrange
    const files = { 'pool.yaml': ippoolWithoutCidr('') };

    // Act
    const warned = analyzeFiles({ ...files, '.github/lbguard.yml': 'rules:\n  resource-shape: warning\n' });
    const off = analyzeFiles({
      ...files,
      '.github/lbguard.yml': 'rules:\n  resource-shape: { severity: off }\n',
    });

    // Assert
    expect(withRule(warned, 'resource-shape').map((f) => f.severity)).toEqual(['warning']);
    expect(withRule(off, 'resource-shape')).toEqual([]);
  });

  it('honours lbguard.dev/ignore on the resource, unless the rule has allowIgnore: false', () => {
    // Arrange
    const files = {
      'pool.yaml': ippoolWithoutCidr(
        '  annotations:\n    lbguard.dev/ignore: "sg-namespace, resource-shape"\n',
      ),
    };

    // Act
    const ignored = analyzeFiles(files);
    const enforced = analyzeFiles({
      ...files,
      '.github/lbguard.yml': 'rules:\n  resource-shape:\n    allowIgnore: false\n',
    });

    // Assert
    expect(withRule(ignored, 'resource-shape')).toEqual([]);
    expect(where(withRule(enforced, 'resource-shape'))).toEqual(['pool.yaml:7:1']);
  });

  it('does not let an ignore annotation for one rule hide another', () => {
    // Arrange
    const files = { 'pool.yaml': ippoolWithoutCidr('  annotations:\n    lbguard.dev/ignore: ippool-cidr\n') };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(where(withRule(a, 'resource-shape'))).toEqual(['pool.yaml:7:1']);
  });
});

describe('config: the documented example', () => {
  it('is valid as written in docs/configuration.md: no config finding, every key applied', () => {
    // Arrange: the first yaml block of the docs is the "complete example".
    const doc = readFileSync(join(import.meta.dirname, '../../docs/configuration.md'), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';

    // Act
    const a = analyzeFiles({ '.github/lbguard.yml': example });
    const r = read(example);

    // Assert
    expect(example).toContain('nodeSubnets');
    expect(withRule(a, 'config')).toEqual([]);
    expect(r.config).toMatchObject({
      requiredCommunities: ['64512:100'],
      nodeSubnets: ['192.168.1.0/24'],
      calicoApiVersion: 'crd.projectcalico.org/v1',
      rules: {
        'lb-pool-not-exported': { allowIgnore: false },
        'svc-loadbalancerip-deprecated': { severity: 'off' },
      },
    });
  });
});
