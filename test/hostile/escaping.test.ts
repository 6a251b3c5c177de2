// Output injection: names and messages from the repository stay on their line, with no terminal
// escapes, in the text and GitHub formats.
import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/engine.ts';
import type { Finding } from '../../src/findings.ts';
import { renderGithub } from '../../src/render/github.ts';
import { renderText } from '../../src/render/text.ts';

/** The raw characters that must never reach the output. */
const RAW = ['\x1b', '\r', '\u2028'];
const HOSTILE = 'web\n::error file=x.yaml::pwned\r\x1b[31mred\u2028x';

const finding: Finding = {
  file: `::warning::${HOSTILE}.yaml`,
  line: 1,
  column: 1,
  endLine: 1,
  endColumn: 2,
  rule: 'svc-group-unknown',
  severity: 'error',
  message: `No ServiceGroup named ${HOSTILE}.`,
  scope: 'default',
  fingerprint: 'f',
  related: [
    { file: 'a.yaml', line: 2, column: 3, endLine: 2, endColumn: 4, message: `ServiceGroup ${HOSTILE}` },
  ],
};
const analysis = {
  findings: [finding],
  summary: summarize([finding], 1, 1),
  scopes: [{ name: 'default', files: 1, resources: 1, reason: 'r', paths: [] }],
};

describe('output escaping', () => {
  it('text: an injected name stays on one line, with no escape byte and no workflow command', () => {
    // Act
    const out = renderText(analysis, { color: false, source: () => `name: ${HOSTILE}\n` });

    // Assert
    for (const c of RAW) expect(out).not.toContain(c);
    expect(out.split('\n').filter((l) => l.trimStart().startsWith('::'))).toEqual([]);
    expect(out).toContain('No ServiceGroup named web\\n::error file=x.yaml::pwned\\r\\x1b[31mred\\u2028x.');
  });

  it('github: one command per finding, the name inside its message', () => {
    // Act
    const out = renderGithub(analysis);

    // Assert
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^::error file=/);
    for (const c of RAW) expect(lines[0]).not.toContain(c);
    expect(lines[0]).toContain(
      '::No ServiceGroup named web%0A::error file=x.yaml::pwned%0D\\x1b[31mred\\u2028x',
    );
  });
});
