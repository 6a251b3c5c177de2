// Planned fixes -> pull request review comments with ```suggestion blocks, for the lines a PR's diff
// shows (GitHub only accepts review comments there), and ready-to-copy text for everything else.
// Pure: the GitHub calls live in src/github/fixes.ts.
import { createHash } from 'node:crypto';
import { diffLines } from 'diff';
import { type FileChange, unifiedDiff } from '../fixes/plan.ts';

/** One replaced run of lines in a file: head lines [start, start + removed.length) become `added`. */
export type Hunk = { file: string; start: number; removed: string[]; added: string[] };

const splitLines = (text: string): string[] => {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
};

/** The line-level hunks that turn `before` into `after` (no context), in file order. */
export function hunksOf(file: string, before: string, after: string): Hunk[] {
  const hunks: Hunk[] = [];
  let line = 1;
  let open: Hunk | undefined;
  for (const part of diffLines(before, after)) {
    const lines = splitLines(part.value);
    if (!part.added && !part.removed) {
      open = undefined;
      line += lines.length;
      continue;
    }
    if (!open) {
      open = { file, start: line, removed: [], added: [] };
      hunks.push(open);
    }
    if (part.removed) {
      open.removed.push(...lines);
      line += lines.length;
    } else open.added.push(...lines);
  }
  return hunks;
}

/**
 * Head-side (RIGHT) lines a review comment may sit on, from a PR file's `patch`: each line number
 * maps to its hunk's index, because a multi-line comment must stay inside one hunk.
 */
export function commentableLines(patch: string | undefined): Map<number, number> {
  const lines = new Map<number, number>();
  if (!patch) return lines;
  let right = 0;
  let hunk = -1;
  for (const text of patch.split('\n')) {
    const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (header) {
      right = Number(header[1]);
      hunk++;
      continue;
    }
    if (hunk < 0 || text.startsWith('-') || text.startsWith('\\')) continue;
    lines.set(right, hunk);
    right++;
  }
  return lines;
}

export type ReviewComment = {
  path: string;
  line: number;
  side: 'RIGHT';
  start_line?: number;
  start_side?: 'RIGHT';
  body: string;
};

const MARK = 'lbguard:fix:';

/** The hidden mark that keeps a re-run from posting the same suggestion twice (no line numbers in it). */
export function suggestionMark(h: Hunk): string {
  const digest = createHash('sha256')
    .update([h.file, ...h.removed, '\u0000', ...h.added].join('\n'))
    .digest('hex')
    .slice(0, 16);
  return `<!-- ${MARK}${digest} -->`;
}

/** Marks found in comment bodies already on the PR. */
export function marksIn(bodies: readonly string[]): Set<string> {
  const found = new Set<string>();
  for (const b of bodies) for (const m of b.matchAll(/<!-- lbguard:fix:[0-9a-f]+ -->/g)) found.add(m[0]);
  return found;
}

/**
 * Where a hunk's suggestion goes: the replaced lines, or for a pure insertion the line above it,
 * repeated in the suggestion (the line below when inserting at the very top).
 */
function placement(
  h: Placed,
  lineCount: number,
): { first: number; last: number; lines: string[] } | undefined {
  if (h.removed.length) return { first: h.start, last: h.start + h.removed.length - 1, lines: h.added };
  if (h.start > 1) return { first: h.start - 1, last: h.start - 1, lines: [h.aboveLine ?? '', ...h.added] };
  if (lineCount === 0) return undefined;
  return { first: 1, last: 1, lines: [...h.added, h.belowLine ?? ''] };
}

type Placed = Hunk & { aboveLine?: string; belowLine?: string };

function fence(lines: readonly string[]): string {
  // A suggestion containing ``` needs a longer fence.
  let ticks = '```';
  while (lines.some((l) => l.includes(ticks))) ticks += '`';
  return `${ticks}suggestion\n${lines.map((l) => `${l}\n`).join('')}${ticks}`;
}

export type SuggestionPlan = {
  /** New comments to post (marks already on the PR are left out). */
  comments: ReviewComment[];
  /** Suggestions already on the PR from an earlier run. */
  alreadyPosted: number;
  /** What review comments cannot carry: new files, and edits outside the diff, as changes to show. */
  leftovers: FileChange[];
};

/**
 * Splits a fix plan into review suggestions (hunks whose lines all fall in one hunk of the PR's
 * diff) and leftovers. `patches` maps a file to its PR `patch`; a file absent from it is not in the
 * diff at all.
 */
export function planSuggestions(
  changes: readonly FileChange[],
  patches: ReadonlyMap<string, string | undefined>,
  posted: ReadonlySet<string>,
  titleOf: (file: string) => string,
): SuggestionPlan {
  const comments: ReviewComment[] = [];
  const leftovers: FileChange[] = [];
  let alreadyPosted = 0;
  for (const change of changes) {
    if (change.before === undefined) {
      leftovers.push(change);
      continue;
    }
    const headLines = splitLines(change.before);
    const allowed = commentableLines(patches.get(change.file));
    const outside: Hunk[] = [];
    for (const raw of hunksOf(change.file, change.before, change.after)) {
      const h: Placed = { ...raw, aboveLine: headLines[raw.start - 2], belowLine: headLines[0] };
      const at = placement(h, headLines.length);
      const hunkIndex = at && allowed.get(at.first);
      const inDiff =
        at !== undefined &&
        hunkIndex !== undefined &&
        range(at.first, at.last).every((l) => allowed.get(l) === hunkIndex);
      if (!at || !inDiff) {
        outside.push(raw);
        continue;
      }
      const mark = suggestionMark(raw);
      if (posted.has(mark)) {
        alreadyPosted++;
        continue;
      }
      comments.push({
        path: change.file,
        line: at.last,
        side: 'RIGHT',
        ...(at.first < at.last ? { start_line: at.first, start_side: 'RIGHT' } : {}),
        body: `${titleOf(change.file)}\n\n${fence(at.lines)}\n${mark}`,
      });
    }
    if (outside.length) leftovers.push({ ...change, after: applyHunks(change.before, outside) });
  }
  return { comments, alreadyPosted, leftovers };
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** `before` with only these hunks applied (they come from hunksOf, so they do not overlap). */
export function applyHunks(before: string, hunks: readonly Hunk[]): string {
  const lines = splitLines(before);
  const trailing = before.endsWith('\n') || before === '';
  for (const h of [...hunks].sort((a, b) => b.start - a.start)) {
    lines.splice(h.start - 1, h.removed.length, ...h.added);
  }
  const text = lines.join('\n');
  return trailing && text ? `${text}\n` : text;
}

/** Changes as ready-to-copy Markdown: a new file in full as YAML, an edit as a unified diff. */
export function copyableChange(c: FileChange): string {
  if (c.before === undefined) {
    return `#### New file \`${c.file}\` (${c.rules.join(', ')})\n\n\`\`\`yaml\n${c.after}${c.after.endsWith('\n') ? '' : '\n'}\`\`\`\n`;
  }
  return `#### \`${c.file}\` (${c.rules.join(', ')})\n\n\`\`\`diff\n${unifiedDiff(c)}\`\`\`\n`;
}
