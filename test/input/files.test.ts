import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/engine.ts';
import { analyzeFiles, where, withRule } from '../helpers.ts';

const group = `apiVersion: purelb.io/v2
kind: ServiceGroup
metadata:
  name: default
  namespace: purelb-system
spec:
  local:
    v4pools:
      - subnet: 192.168.1.0/24
        pool: 192.168.1.240-192.168.1.250
        aggregation: default
`;

/** A Secret of about `bytes` bytes, with no watched word in it. */
const bigSecret = (bytes: number) =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: big\ndata:\n  blob: |\n${'    0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n'.repeat(Math.ceil(bytes / 69))}`;

describe('template-skipped', () => {
  it('reports a Helm template with a ServiceGroup once per file, at its first line', () => {
    // Arrange: two template actions, one notice.
    const text = group
      .replace('192.168.1.240-192.168.1.250', '{{ .Values.pool }}')
      .replace('name: default', 'name: {{ include "lb.name" . }}');

    // Act
    const a = analyzeFiles({ 'chart/templates/sg.yaml': text });

    // Assert
    const found = withRule(a, 'template-skipped');
    expect(where(found)).toEqual(['chart/templates/sg.yaml:1:1']);
    expect(found[0]!.severity).toBe('notice');
    expect(a.findings.filter((f) => f.rule !== 'template-skipped')).toEqual([]);
  });

  it('skips a template-extension file that mentions a watched kind', () => {
    // Arrange / Act
    const a = analyzeFiles({ 'tpl/sg.yaml.j2': group });

    // Assert
    expect(where(withRule(a, 'template-skipped'))).toEqual(['tpl/sg.yaml.j2:1:1']);
  });

  it('is quiet on Prometheus alert text and Flux placeholders, which are not templates', () => {
    // Arrange: `{{ $labels.x }}` is a plain string to Kubernetes.
    const text = `${group}---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: lb
spec:
  groups:
    - name: lb
      rules:
        - alert: LoadBalancerDown
          annotations:
            summary: "{{ $labels.instance }} is down ({{ $value }})"
`;

    // Act
    const a = analyzeFiles({ 'lb.yaml': text });

    // Assert
    expect(withRule(a, 'template-skipped')).toEqual([]);
    expect(a.summary.resources).toBe(1);
  });

  it('is quiet on a template that mentions no watched kind', () => {
    // Arrange / Act
    const a = analyzeFiles({ 'chart/templates/cm.yaml': 'kind: Secret\ndata:\n  x: {{ .Values.x }}\n' });

    // Assert
    expect(a.findings).toEqual([]);
  });
});

describe('file-skipped', () => {
  it('reports a 3 MB file with a ServiceGroup, at its first line', () => {
    // Arrange
    const text = `${group}---\n${bigSecret(3 * 1024 * 1024)}`;

    // Act
    const a = analyzeFiles({ 'big.yaml': text });

    // Assert
    const found = withRule(a, 'file-skipped');
    expect(where(found)).toEqual(['big.yaml:1:1']);
    expect(found[0]!.message).toContain('limits.maxFileBytes');
  });

  it('is quiet on a 3 MB file with no watched kind, and reads a 1 MB one', () => {
    // Arrange
    const files = {
      'big.yaml': bigSecret(3 * 1024 * 1024),
      'medium.yaml': `${bigSecret(1024 * 1024)}---\n${group}`,
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(a.findings.filter((f) => f.rule === 'file-skipped')).toEqual([]);
    expect(a.summary.resources).toBe(1);
  });

  it('reads a file over the default limit when config raises limits.maxFileBytes', () => {
    // Arrange
    const files = {
      '.github/lbguard.yml': 'limits:\n  maxFileBytes: 8000000\n',
      'big.yaml': `${group}---\n${bigSecret(3 * 1024 * 1024)}`,
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(withRule(a, 'file-skipped')).toEqual([]);
    expect(a.summary.resources).toBe(1);
  });

  it('reports a latin-1 file with a ServiceGroup, and is quiet on a latin-1 Deployment', () => {
    // Arrange: "é" in latin-1 is the single byte 0xE9, not valid UTF-8.
    const latin1 = (s: string) => Buffer.from(s, 'latin1');
    const files = [
      { path: 'lb.yaml', bytes: latin1(`# réseau\n${group}`) },
      { path: 'app.yaml', bytes: latin1('# café\nkind: Deployment\n') },
    ];

    // Act
    const a = analyze(files);

    // Assert
    const found = withRule(a, 'file-skipped');
    expect(where(found)).toEqual(['lb.yaml:1:1']);
    expect(found[0]!.message).toContain('UTF-8');
  });

  // Unbounded expansion would never return (the test times out); the alias limit stops it.
  it('stops a billion-laughs alias bomb at the document that holds it', () => {
    // Arrange: nine levels of nine aliases expand to 9^9 strings.
    const levels = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i <= 9; i++)
      levels.push(
        `l${i}: &l${i} [${Array(9)
          .fill(`*l${i - 1}`)
          .join(',')}]`,
      );
    const bomb = `apiVersion: purelb.io/v2\nkind: ServiceGroup\nmetadata:\n  name: bomb\n${levels.join('\n')}\n`;
    const text = `${group}---\n${bomb}`;

    // Act
    const a = analyzeFiles({ 'bomb.yaml': text });

    // Assert
    expect(where(withRule(a, 'file-skipped'))).toEqual(['bomb.yaml:13:1']);
  });

  it('is quiet on a document with a few aliases', () => {
    // Arrange
    const text = group.replace(
      '  namespace: purelb-system',
      '  namespace: &ns purelb-system\n  labels:\n    ns: *ns',
    );

    // Act
    const a = analyzeFiles({ 'lb.yaml': text });

    // Assert
    expect(withRule(a, 'file-skipped')).toEqual([]);
    expect(a.summary.resources).toBe(1);
  });
});
