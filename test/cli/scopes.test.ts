import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FIXTURES } from '../helpers.ts';
import { run } from './harness.ts';

const scopesJson = z.strictObject({
  version: z.literal(1),
  scopes: z.array(
    z.strictObject({
      name: z.string(),
      reason: z.string(),
      entry: z.string().nullable(),
      resources: z.number().int(),
      files: z.array(z.string()),
    }),
  ),
});

describe('lbguard scopes', () => {
  it('lists each scope with why, its entry point and its files', async () => {
    // Act
    const r = await run(['scopes', join(FIXTURES, 'gitops/flux-archived')]);

    // Assert
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'alpha: 3 files, 1 resource',
        '  why:   Flux entry point clusters/alpha: Kustomizations flux-system, infrastructure',
        '  entry: clusters/alpha',
        '    clusters/alpha/flux-system/gotk-sync.yaml',
        '    clusters/alpha/infrastructure.yaml',
        '    infrastructure/alpha/purelb.yaml',
        'beta: 3 files, 1 resource',
        '  why:   Flux entry point clusters/beta: Kustomizations flux-system, infrastructure',
        '  entry: clusters/beta',
        '    clusters/beta/flux-system/gotk-sync.yaml',
        '    clusters/beta/infrastructure.yaml',
        '    infrastructure/beta/purelb.yaml',
        'default: 1 file, 0 resources',
        '  why:   files no Flux Kustomization or kustomize root applies',
        '    archive/legacy.yaml',
        '3 scopes: rules that compare resources never look across them.',
        '',
      ].join('\n'),
    );
  });

  it('writes JSON with the same facts', async () => {
    // Act
    const r = await run(['scopes', join(FIXTURES, 'gitops/loose-tests'), '--format', 'json']);

    // Assert
    expect(r.code).toBe(0);
    const parsed = scopesJson.parse(JSON.parse(r.out));
    expect(parsed.scopes.map((s) => [s.name, s.entry, s.files])).toEqual([
      ['tests/bgp-basic', 'tests/bgp-basic', ['common/bgp.yaml', 'tests/bgp-basic/purelb.yaml']],
      ['tests/bgp-ecmp', 'tests/bgp-ecmp', ['common/bgp.yaml', 'tests/bgp-ecmp/purelb.yaml']],
    ]);
  });

  it('refuses an unknown format with the usage (exit 2)', async () => {
    // Act
    const r = await run(['scopes', join(FIXTURES, 'gitops/loose-tests'), '--format', 'sarif']);

    // Assert
    expect(r.code).toBe(2);
    expect(r.err).toContain("argument 'sarif' is invalid. Allowed choices are text, json.");
  });
});
