import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/render/text.ts';
import { analyzeFiles, analyzeFixture, where, withRule } from '../helpers.ts';

const group = (pool: string) => `apiVersion: purelb.io/v2
kind: ServiceGroup
metadata:
  name: default
  namespace: purelb-system
spec:
  local:
    v4pool:
      subnet: 192.168.1.0/24
      pool: ${pool}
      aggregation: default
`;

describe('Jinja2 and other template files', () => {
  it('skips a .j2 manifest with one template-skipped notice and checks nothing in it', () => {
    // Arrange
    const files = { 'ansible/templates/servicegroup.yaml.j2': group('{{ lb_range }}') };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(where(withRule(a, 'template-skipped'))).toEqual(['ansible/templates/servicegroup.yaml.j2:1:1']);
    expect(withRule(a, 'sg-pool-syntax')).toEqual([]);
    expect(a.summary.resources).toBe(0);
  });

  it('skips a plain .j2 file even without {{ }} in it', () => {
    // Arrange
    const files = { 'roles/purelb/sg.j2': group('192.168.1.250-192.168.1.240') };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(where(withRule(a, 'template-skipped'))).toEqual(['roles/purelb/sg.j2:1:1']);
    expect(withRule(a, 'sg-pool-syntax')).toEqual([]);
  });

  it('reads the same manifest as .yaml (near miss)', () => {
    // Arrange
    const files = { 'purelb/sg.yaml': group('192.168.1.250-192.168.1.240') };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(withRule(a, 'template-skipped')).toEqual([]);
    expect(where(withRule(a, 'sg-pool-syntax'))).toEqual(['purelb/sg.yaml:10:13']);
  });
});

describe('templates by document, not by file', () => {
  it('skips only the templated document and checks its plain sibling; a {{ in a comment is no template', () => {
    // Act
    const a = analyzeFixture('gitops/templates-by-document');

    // Assert
    expect(a.findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column}`)).toEqual([
      'ippool-cidr calico/ippools.yaml:7:9',
      'template-skipped purelb/groups.yaml:2:1',
      'sg-pool-outside-subnet purelb/groups.yaml:23:15',
    ]);
    expect(withRule(a, 'template-skipped')[0]!.message).toContain("The file's other documents were checked.");
  });

  it('counts a templated document that could hold nothing watched instead of noticing it', () => {
    // Act
    const a = analyzeFixture('gitops/templates-by-document');

    // Assert: the podinfo HelmRelease template is counted, and the text summary says so.
    expect(a.stats.templates).toBe(1);
    expect(a.summary.gaps).toEqual({ total: 1, noticed: 1, templates: 1 });
    expect(renderText(a, { color: false, source: () => undefined })).toContain(
      '1 input not read, named in a notice.\nSkipped 1 template document with nothing PureLB or Calico in it.',
    );
  });

  it('still notices a templated purelb chart host (near miss of the count)', () => {
    // Arrange
    const files = {
      'apps/purelb.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: purelb
spec:
  chart:
    spec:
      chart: purelb
      version: {{ .Values.version }}
`,
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(where(withRule(a, 'template-skipped'))).toEqual(['apps/purelb.yaml:1:1']);
    expect(a.stats.templates).toBe(0);
  });

  it('does not parse-check a templated document beside a watched one', () => {
    // Arrange
    const files = {
      'purelb/all.yaml': `${group('192.168.1.240-192.168.1.250')}---
apiVersion: v1
kind: ConfigMap
metadata:
  name: x
data:
{{- range .Values.items }}
  {{ .key }}: {{ .value }}
{{- end }}
`,
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(withRule(a, 'yaml-syntax')).toEqual([]);
    expect(a.summary.resources).toBe(1);
  });
});

describe('what a templated document could hold', () => {
  it('reads no watched word in a comment: an Ansible vars file naming a LoadBalancer VIP is counted, not noticed', () => {
    // Arrange
    const files = {
      'ansible/group_vars/all.yml': `# LoadBalancer VIP for fluent-bit, see the IPPool notes
facts: "{{ lookup('file', 'facts.json') | from_json }}"
`,
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(withRule(a, 'template-skipped')).toEqual([]);
  });

  it("takes another chart's values as that chart's: a templated app-template HelmRelease with a LoadBalancer is counted", () => {
    // Arrange
    const files = {
      'apps/plex/helmrelease.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: plex
spec:
  chartRef:
    kind: OCIRepository
    name: app-template
  values:
    service:
      app:
        type: LoadBalancer
    route:
      app:
        hostnames: ["{{ .Release.Name }}.example.com"]
`,
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(withRule(a, 'template-skipped')).toEqual([]);
    expect(a.stats.templates).toBe(1);
  });

  it('still notices a templated LoadBalancer Service outside any chart (near miss)', () => {
    // Arrange
    const files = {
      'apps/web.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    purelb.io/service-group: {{ .Values.group }}
spec:
  type: LoadBalancer
`,
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(where(withRule(a, 'template-skipped'))).toEqual(['apps/web.yaml:1:1']);
  });
});

describe("another controller's pool is read only for its presence", () => {
  const CILIUM_POOL = `apiVersion: cilium.io/v2alpha1
kind: CiliumLoadBalancerIPPool
metadata:
  name: lb
spec:
  blocks:
    - cidr: \${LB_CIDR}
`;

  it('reports no parse error, template or placeholder in a Cilium or MetalLB pool', () => {
    // Arrange
    const files = {
      'cilium/broken.yaml': `- op: replace
  path: /spec/blocks/0/cidr
target:
  kind: CiliumLoadBalancerIPPool
`,
      'cilium/templated.yaml': CILIUM_POOL.replace('${LB_CIDR}', '{{ .Values.cidr }}'),
      'cilium/pool.yaml': CILIUM_POOL,
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(a.findings).toEqual([]);
  });

  it('still reports a parse error in a file holding a Calico IPPool (near miss)', () => {
    // Arrange
    const files = {
      'calico/broken.yaml': `- op: replace
  path: /spec/cidr
target:
  kind: IPPool
`,
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(where(withRule(a, 'yaml-syntax'))).toEqual(['calico/broken.yaml:3:1']);
  });
});

describe('one template-skipped notice per file', () => {
  it('names how many documents were skipped, at the first one', () => {
    // Arrange
    const templated = group('{{ .Values.pool }}');
    const files = { 'purelb/groups.yaml': `${templated}---\n${templated}` };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(where(withRule(a, 'template-skipped'))).toEqual(['purelb/groups.yaml:1:1']);
    expect(withRule(a, 'template-skipped')[0]!.message).toBe(
      'Skipped: 2 documents of this file are templates ({{ ... }}); lbguard checks rendered manifests only.',
    );
  });
});
