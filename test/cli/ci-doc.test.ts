import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const doc = readFileSync(join(import.meta.dirname, '../../docs/ci.md'), 'utf8');
const yamlBlocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('docs/ci.md', () => {
  it('holds the GitHub Actions, pre-commit and GitLab examples', () => {
    // Assert
    expect(yamlBlocks.length).toBeGreaterThanOrEqual(5);
    expect(doc).toContain('github/codeql-action/upload-sarif');
    expect(doc).toContain('--format github');
    expect(doc).toContain('.pre-commit-config.yaml');
    expect(doc).toContain('.gitlab-ci.yml');
  });

  it.each(yamlBlocks.map((b, i) => [i, b] as const))('example %i is valid YAML', (_i, block) => {
    // Act / Assert
    expect(() => parse(block, { strict: true, uniqueKeys: true })).not.toThrow();
  });

  it('runs only options the CLI knows', () => {
    // Arrange
    const commands = [...doc.matchAll(/lbguard(?:@\d+)? check([^\n`]*)/g)].map((m) => m[1]!);

    // Assert
    for (const c of commands) {
      for (const opt of c.match(/--[a-z-]+/g) ?? [])
        expect(['--format', '--base', '--config', '--new-only', '--fail-on']).toContain(opt);
    }
  });
});
