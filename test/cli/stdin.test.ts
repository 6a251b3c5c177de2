import { describe, expect, it } from 'vitest';
import { run } from './harness.ts';

// What `kustomize build overlays/prod` prints: two overlays' worth of objects in one stream.
const STREAM = `apiVersion: v1
kind: Namespace
metadata:
  name: purelb-system
---
apiVersion: purelb.io/v2
kind: ServiceGroup
metadata:
  name: default
  namespace: purelb-system
spec:
  local:
    v4pools:
      - subnet: 192.168.1.0/24
        pool: 192.168.1.240-192.168.2.10
        aggregation: default
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  path: ./elsewhere
`;

const stdin = (text: string) => async () => Buffer.from(text, 'utf8');

describe('lbguard check -', () => {
  it('reads a rendered stream from stdin as one scope, positions being stream lines', async () => {
    // Act
    const r = await run(['check', '-', '--format', 'json'], { stdin: stdin(STREAM) });

    // Assert
    expect(r.code).toBe(1);
    const out = JSON.parse(r.out) as {
      findings: { rule: string; file: string; line: number; column: number; scope: string }[];
    };
    expect(out.findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column} [${f.scope}]`)).toEqual([
      'calico-not-in-scope <stdin>:9:9 [stdin]',
      'sg-pool-outside-subnet <stdin>:15:15 [stdin]',
    ]);
  });

  it('exits 0 for a stream without errors', async () => {
    // Act
    const r = await run(['check', '-'], { stdin: stdin(STREAM.replace('192.168.2.10', '192.168.1.250')) });

    // Assert
    expect(r.code).toBe(0);
    expect(r.out).toContain('1 file, 1 resource: 0 errors, 0 warnings, 1 notice');
  });

  it('refuses - with other paths or --base (exit 2)', async () => {
    // Act
    const both = await run(['check', '-', '.'], { stdin: stdin(STREAM) });
    const base = await run(['check', '-', '--base', 'main'], { stdin: stdin(STREAM) });

    // Assert
    expect(both.code).toBe(2);
    expect(both.err).toContain('- (stdin) cannot be combined with paths');
    expect(base.code).toBe(2);
    expect(base.err).toContain('--base needs a repository, not stdin');
  });
});
