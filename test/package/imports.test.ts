// The published package installs only `dependencies`; the App's and token mode's packages are
// optional peers. So every module the CLI can load without `review` must import nothing else, and
// `review` nothing but those plus token mode's peers: a new import of probot from the CLI path
// would break `npm i -g lbguard` users, and only this test would notice before them.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { TOKEN_MODE_PACKAGES } from '../../src/cli/commands.ts';

const SRC = join(import.meta.dirname, '..', '..', 'src');

// Static imports and re-exports (not `import type`, which Node strips) and dynamic import('...').
const IMPORT =
  /^\s*(?:import|export)(?!\s+type\b)[^'";]*?from\s*'([^']+)'|^\s*import\s*'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/gm;

const packageOf = (spec: string) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

/** Every module reachable from `entries`, and the npm packages they import. */
function closure(entries: string[], skip: (file: string) => boolean = () => false) {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const todo = entries.map((e) => join(SRC, e));
  while (todo.length) {
    const file = todo.pop()!;
    if (files.has(file) || skip(file)) continue;
    files.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      if (spec.startsWith('.')) {
        if (spec.endsWith('.ts')) todo.push(resolve(dirname(file), spec));
      } else if (!spec.startsWith('node:')) packages.set(packageOf(spec), file.slice(SRC.length + 1));
    }
  }
  return { files, packages };
}

const published = new Set(Object.keys(pkg.dependencies));

describe('the published package', () => {
  it('loads the CLI (every command but review) with its dependencies only', () => {
    // Act
    const { packages } = closure(['cli/main.ts'], (f) => f.endsWith('/cli/review.ts'));

    // Assert
    const foreign = [...packages].filter(([name]) => !published.has(name));
    expect(foreign).toEqual([]);
  });

  it('loads token mode (review) with its dependencies and token-mode peers only, never the App', () => {
    // Arrange
    const allowed = new Set<string>([...published, ...TOKEN_MODE_PACKAGES]);

    // Act
    const { packages, files } = closure(['cli/review.ts']);

    // Assert
    expect([...packages].filter(([name]) => !allowed.has(name))).toEqual([]);
    expect(
      [...files].filter((f) => /\/(app|server)\.ts$|\/github\/(probot|vercel|webhooks)\.ts$/.test(f)),
    ).toEqual([]);
  });

  it('declares every App and token-mode package as an optional peer, installed in the repository as a dev dependency', () => {
    // Act
    const { packages } = closure(['app.ts', 'server.ts', 'github/vercel.ts', 'cli/review.ts']);
    const needed = [...packages.keys()].filter((name) => !published.has(name));

    // Assert
    const peers: Record<string, string> = pkg.peerDependencies;
    const meta: Record<string, { optional?: boolean }> = pkg.peerDependenciesMeta;
    const dev: Record<string, string> = pkg.devDependencies;
    for (const name of [...needed, ...TOKEN_MODE_PACKAGES]) {
      expect.soft(peers[name], name).toBeDefined();
      expect.soft(meta[name]?.optional, name).toBe(true);
      expect.soft(dev[name], name).toBe(peers[name]);
    }
  });
});
