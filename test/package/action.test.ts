// action.yml and .pre-commit-hooks.yaml as their hosts read them, and the action's own shell steps
// run for real on the example repository (as GitHub's runner would: bash, env from `with:`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { COMMANDS } from '../../src/cli/commands.ts';

const ROOT = join(import.meta.dirname, '..', '..');

const step = z.object({
  id: z.string().optional(),
  shell: z.literal('bash').optional(),
  run: z.string().optional(),
  uses: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
});
const action = z
  .object({
    inputs: z.record(z.string(), z.object({ description: z.string(), default: z.string() })),
    outputs: z.record(z.string(), z.object({ description: z.string(), value: z.string() })),
    runs: z.object({ using: z.literal('composite'), steps: z.array(step) }),
  })
  .parse(parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')));

const hooks = z
  .array(
    z.object({
      id: z.string(),
      name: z.string(),
      entry: z.string(),
      language: z.literal('node'),
      files: z.string().optional(),
      stages: z.array(z.string()).optional(),
      pass_filenames: z.boolean().optional(),
    }),
  )
  .parse(parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')));

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

/** The action's lbguard step, run by bash with the env its `with:` inputs would give. */
function runStep(inputs: Record<string, string>) {
  dir = mkdtempSync(join(tmpdir(), 'lbguard-action-'));
  const output = join(dir, 'github-output');
  const script = action.runs.steps.find((s) => s.id === 'lbguard')!.run!;
  const r = spawnSync('bash', ['-eo', 'pipefail', '-c', script], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      GITHUB_ACTION_PATH: ROOT,
      GITHUB_OUTPUT: output,
      NODE: process.execPath,
      MODE: inputs.mode ?? 'review',
      CHECK_PATH: inputs.path ?? '.',
      BASE: inputs.base ?? '',
      FAIL_ON: inputs['fail-on'] ?? '',
      SARIF_FILE: inputs['sarif-file'] ?? join(dir, 'lbguard.sarif'),
    },
  });
  let outputs = '';
  try {
    outputs = readFileSync(output, 'utf8');
  } catch {}
  return { ...r, outputs };
}

describe('action.yml', () => {
  it('offers the three modes and the outputs, and never sets up Node for the caller', () => {
    // Assert
    expect(action.inputs.mode!.description).toMatch(/review[\s\S]*sarif[\s\S]*annotations/);
    expect(Object.keys(action.outputs)).toEqual(['new-errors', 'new-warnings', 'conclusion', 'sarif-file']);
    expect(action.runs.steps.map((s) => s.uses).filter(Boolean)).toEqual(['actions/cache@v4']);
    for (const s of action.runs.steps) expect(s.run ?? '').not.toMatch(/GITHUB_PATH|GITHUB_ENV/);
  });

  it('passes every input the steps read', () => {
    // Arrange
    const used = action.runs.steps.flatMap(
      (s) =>
        Object.values(s.env ?? {})
          .join(' ')
          .match(/inputs\.[a-z-]+/g) ?? [],
    );

    // Assert
    for (const u of used) expect(Object.keys(action.inputs)).toContain(u.slice('inputs.'.length));
  });

  it('annotations mode prints workflow commands for the example, sets the outputs and fails on its errors', () => {
    // Act
    const r = runStep({ mode: 'annotations', path: join(ROOT, 'examples/homelab') });

    // Assert
    expect(r.stdout).toMatch(/^::error file=/m);
    expect(r.outputs).toMatch(/^new-errors=[1-9]\d*\nnew-warnings=\d+\nconclusion=failure\n$/);
    expect(r.status).toBe(1);
  });

  it('sarif mode writes the SARIF file and names it in its output; fail-on none keeps the step green', () => {
    // Act
    const r = runStep({ mode: 'sarif', path: join(ROOT, 'examples/homelab'), 'fail-on': 'none' });

    // Assert
    expect(r.status).toBe(0);
    const sarif = JSON.parse(readFileSync(join(dir, 'lbguard.sarif'), 'utf8')) as { version: string };
    expect(sarif.version).toBe('2.1.0');
    expect(r.outputs).toMatch(
      /^sarif-file=.*lbguard\.sarif\nnew-errors=[1-9]\d*\nnew-warnings=\d+\nconclusion=success\n$/,
    );
  });
});

describe('.pre-commit-hooks.yaml', () => {
  it('has a check hook on manifests and a manual fix hook, each an lbguard command', () => {
    // Assert
    expect(hooks.map((h) => h.id)).toEqual(['lbguard', 'lbguard-fix']);
    const names = COMMANDS.map((c) => c.name);
    for (const h of hooks) expect(names).toContain(h.entry.split(' ')[1]);
    expect(new RegExp(hooks[0]!.files!).test('clusters/a/pools.yaml')).toBe(true);
    expect(hooks[1]!.stages).toEqual(['manual']);
  });
});
