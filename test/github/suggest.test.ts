import { describe, expect, it } from 'vitest';
import type { FileChange } from '../../src/fixes/plan.ts';
import {
  applyHunks,
  commentableLines,
  hunksOf,
  marksIn,
  planSuggestions,
  suggestionMark,
} from '../../src/github/suggest.ts';

const BEFORE = `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: pods
spec:
  # the pod range
  cidr: 10.0.0.5/24
  ipipMode: Never
`;
const AFTER = BEFORE.replace('10.0.0.5/24', '10.0.0.0/24');
const change = (before: string | undefined, after: string, file = 'calico/pools.yaml'): FileChange => ({
  file,
  before,
  after,
  rules: ['ippool-cidr'],
});
const title = () => 'fix';

/** A patch whose one hunk shows head lines 5..8 (line 7 added). */
const PATCH =
  '@@ -5,3 +5,4 @@ metadata:\n spec:\n   # the pod range\n+  cidr: 10.0.0.5/24\n   ipipMode: Never';

describe('commentableLines', () => {
  it('maps head-side context and added lines to their hunk, skipping removed lines', () => {
    // Arrange
    const patch = '@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n@@ -10,2 +10,2 @@\n x\n-y\n+Y';

    // Act
    const lines = commentableLines(patch);

    // Assert
    expect([...lines]).toEqual([
      [1, 0],
      [2, 0],
      [3, 0],
      [10, 1],
      [11, 1],
    ]);
  });

  it('has no lines for a file without a patch (binary or too large)', () => {
    expect(commentableLines(undefined).size).toBe(0);
  });
});

describe('hunksOf and applyHunks', () => {
  it('finds the replaced line and reapplies it byte for byte', () => {
    // Act
    const hunks = hunksOf('f', BEFORE, AFTER);

    // Assert
    expect(hunks).toEqual([
      { file: 'f', start: 7, removed: ['  cidr: 10.0.0.5/24'], added: ['  cidr: 10.0.0.0/24'] },
    ]);
    expect(applyHunks(BEFORE, hunks)).toBe(AFTER);
  });

  it('records a pure insertion at the line it goes before', () => {
    // Arrange
    const after = BEFORE.replace('  ipipMode: Never\n', '  ipipMode: Never\n  disabled: true\n');

    // Act
    const hunks = hunksOf('f', BEFORE, after);

    // Assert
    expect(hunks).toEqual([{ file: 'f', start: 9, removed: [], added: ['  disabled: true'] }]);
  });
});

describe('planSuggestions', () => {
  it('suggests an edit on a diff line, on the RIGHT side, with a hidden mark', () => {
    // Act
    const plan = planSuggestions(
      [change(BEFORE, AFTER)],
      new Map([['calico/pools.yaml', PATCH]]),
      new Set(),
      title,
    );

    // Assert
    expect(plan.leftovers).toEqual([]);
    expect(plan.comments).toHaveLength(1);
    const c = plan.comments[0]!;
    expect(c).toMatchObject({ path: 'calico/pools.yaml', line: 7, side: 'RIGHT' });
    expect(c.start_line).toBeUndefined();
    expect(c.body).toContain('```suggestion\n  cidr: 10.0.0.0/24\n```');
    expect(c.body).toMatch(/<!-- lbguard:fix:[0-9a-f]{16} -->$/);
  });

  it('keeps an edit outside the diff out of the review and in the leftovers', () => {
    // Arrange: the PR touched only lines 1..2.
    const patch =
      '@@ -1,2 +1,2 @@\n-apiVersion: projectcalico.org/v3\n+apiVersion: crd.projectcalico.org/v1\n kind: IPPool';

    // Act
    const plan = planSuggestions(
      [change(BEFORE, AFTER)],
      new Map([['calico/pools.yaml', patch]]),
      new Set(),
      title,
    );

    // Assert
    expect(plan.comments).toEqual([]);
    expect(plan.leftovers).toEqual([change(BEFORE, AFTER)]);
  });

  it('attaches a pure insertion to the line above and repeats that line', () => {
    // Arrange
    const after = BEFORE.replace('  ipipMode: Never\n', '  ipipMode: Never\n  disabled: true\n');

    // Act
    const plan = planSuggestions(
      [change(BEFORE, after)],
      new Map([['calico/pools.yaml', PATCH]]),
      new Set(),
      title,
    );

    // Assert
    expect(plan.comments).toHaveLength(1);
    expect(plan.comments[0]).toMatchObject({ line: 8 });
    expect(plan.comments[0]!.body).toContain('```suggestion\n  ipipMode: Never\n  disabled: true\n```');
  });

  it('makes a multi-line suggestion with start_line when several lines change together', () => {
    // Arrange
    const after = BEFORE.replace(
      '  cidr: 10.0.0.5/24\n  ipipMode: Never\n',
      '  cidr: 10.0.0.0/24\n  ipipMode: Always\n',
    );

    // Act
    const plan = planSuggestions(
      [change(BEFORE, after)],
      new Map([['calico/pools.yaml', PATCH]]),
      new Set(),
      title,
    );

    // Assert
    expect(plan.comments).toHaveLength(1);
    expect(plan.comments[0]).toMatchObject({ start_line: 7, start_side: 'RIGHT', line: 8, side: 'RIGHT' });
  });

  it('does not suggest a range that leaves the diff hunk', () => {
    // Arrange: lines 8..9 change, but the hunk ends at 8.
    const before = `${BEFORE}  natOutgoing: true\n`;
    const after = before.replace(
      '  ipipMode: Never\n  natOutgoing: true\n',
      '  ipipMode: Always\n  natOutgoing: false\n',
    );

    // Act
    const plan = planSuggestions(
      [change(before, after)],
      new Map([['calico/pools.yaml', PATCH]]),
      new Set(),
      title,
    );

    // Assert
    expect(plan.comments).toEqual([]);
    expect(plan.leftovers).toHaveLength(1);
  });

  it('skips a suggestion whose mark is already on the PR', () => {
    // Arrange
    const [hunk] = hunksOf('calico/pools.yaml', BEFORE, AFTER);
    const posted = marksIn([`old text\n${suggestionMark(hunk!)}`]);

    // Act
    const plan = planSuggestions(
      [change(BEFORE, AFTER)],
      new Map([['calico/pools.yaml', PATCH]]),
      posted,
      title,
    );

    // Assert
    expect(plan.comments).toEqual([]);
    expect(plan.alreadyPosted).toBe(1);
    expect(plan.leftovers).toEqual([]);
  });

  it('leaves a new file to the leftovers', () => {
    // Act
    const plan = planSuggestions(
      [change(undefined, 'kind: IPPool\n', 'calico/new.yaml')],
      new Map(),
      new Set(),
      title,
    );

    // Assert
    expect(plan.comments).toEqual([]);
    expect(plan.leftovers.map((c) => c.file)).toEqual(['calico/new.yaml']);
  });
});
