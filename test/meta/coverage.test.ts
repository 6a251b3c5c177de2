// Every rule in the registry must be proven on exact positions: some test fires it and asserts
// `file:line:column`, and some test shows it quiet on a near miss. A rule without both could
// drift (wrong node, or firing on valid input) with the suite still green, so this reads the
// test sources and fails on the first rule that lacks either.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/checks/index.ts';

const TEST_ROOT = join(import.meta.dirname, '..');

/** Test sources, fixtures and this file excluded. */
function testSources(): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const entry of readdirSync(TEST_ROOT, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const rel = relative(TEST_ROOT, path);
    if (!entry.isFile() || !rel.endsWith('.ts') || rel.startsWith('fixtures') || rel.startsWith('meta'))
      continue;
    out.push({ path: rel, text: readFileSync(path, 'utf8') });
  }
  return out;
}

const ID = `'([a-z0-9-]+)'`;
// `file:12:7` as a literal, or with the numbers computed (`${posOf(text, 'x')}`).
const POSITION = String.raw`['\x60][^'\x60\n]*?:(?:\d+:\d+|\$\{[^}\n]+\}(?::\$\{[^}\n]+\})?)['\x60]`;
const FIRE_DIRECT = new RegExp(
  String.raw`where\(withRule\([^;'\n]+?, ${ID}\)\)\)\.toEqual\(\[\s*${POSITION}`,
  'g',
);
const QUIET_DIRECT = new RegExp(
  String.raw`(?:where\()?withRule\([^;'\n]+?, ${ID}\)\)?\)\.(?:toEqual\(\[\]\)|toHaveLength\(0\))`,
  'g',
);
const BINDING = new RegExp(String.raw`const (\w+) = withRule\([^;'\n]+?, ${ID}\);`, 'g');

type Proof = { fires: Set<string>; quiet: Set<string> };

/** Which rule ids the given test sources fire at an exact position, and show quiet. */
function scanProofs(sources: readonly { text: string }[]): Proof {
  const fires = new Set<string>();
  const quiet = new Set<string>();
  for (const { text } of sources) {
    // One `it(` block at a time, so a variable bound in one test is not matched in another.
    for (const block of text.split(/\bit\(/)) {
      for (const m of block.matchAll(FIRE_DIRECT)) fires.add(m[1]!);
      for (const m of block.matchAll(QUIET_DIRECT)) quiet.add(m[1]!);
      for (const [, name, id] of block.matchAll(BINDING)) {
        if (new RegExp(String.raw`where\(${name}\)\)\.toEqual\(\[\s*${POSITION}`).test(block)) fires.add(id!);
        if (new RegExp(String.raw`expect\(${name}\)\.(?:toEqual\(\[\]\)|toHaveLength\(0\))`).test(block))
          quiet.add(id!);
      }
    }
  }
  return { fires, quiet };
}

describe('rule coverage', () => {
  const proof = scanProofs(testSources());

  it('fires every registered rule at an exact file:line:column somewhere in the suite', () => {
    // Arrange / Act
    const missing = RULES.filter((r) => !proof.fires.has(r.id)).map((r) => r.id);

    // Assert
    expect(missing).toEqual([]);
  });

  it('shows every registered rule quiet on a near miss somewhere in the suite', () => {
    // Arrange / Act
    const missing = RULES.filter((r) => !proof.quiet.has(r.id)).map((r) => r.id);

    // Assert
    expect(missing).toEqual([]);
  });
});

describe('the coverage scanner itself', () => {
  it('counts a direct position assertion and a direct quiet assertion', () => {
    // Arrange
    const text = `it('x', () => {
      expect(where(withRule(a, 'rule-a'))).toEqual(['f.yaml:3:5']);
      expect(withRule(b, 'rule-b')).toEqual([]);
    });`;

    // Act
    const p = scanProofs([{ text }]);

    // Assert
    expect([...p.fires]).toEqual(['rule-a']);
    expect([...p.quiet]).toEqual(['rule-b']);
  });

  it('follows a variable inside one test, not across tests', () => {
    // Arrange
    const text = `it('x', () => {
      const found = withRule(a, 'rule-a');
      expect(where(found)).toEqual([\`f.yaml:\${posOf(t, 'k')}\`]);
    });
    it('y', () => {
      const other = withRule(a, 'rule-b');
      expect(where(found)).toEqual(['f.yaml:1:1']);
    });`;

    // Act
    const p = scanProofs([{ text }]);

    // Assert
    expect([...p.fires]).toEqual(['rule-a']);
  });

  it('does not count a count-only or message-only assertion as a position', () => {
    // Arrange
    const text = `it('x', () => {
      expect(withRule(a, 'rule-a')).toHaveLength(1);
      expect(where(withRule(a, 'rule-b'))).toEqual([]);
      expect(withRule(a, 'rule-c')[0]!.message).toContain('x:1:2');
    });`;

    // Act
    const p = scanProofs([{ text }]);

    // Assert
    expect([...p.fires]).toEqual([]);
    expect([...p.quiet]).toEqual(['rule-b']);
  });
});
