import { describe, expect, it } from 'vitest';
import { BAD_GROUP, run, tempRepo } from './harness.ts';

describe('lbguard check: colour', () => {
  it('colours text on a terminal', async () => {
    // Arrange
    const dir = tempRepo({ 'sg.yaml': BAD_GROUP });

    // Act
    const r = await run(['check', dir], { isTTY: true, env: {} });

    // Assert
    expect(r.out).toContain('\x1b[31m');
  });

  it.each([
    ['not a terminal', { isTTY: false, env: {} }],
    ['NO_COLOR on a terminal', { isTTY: true, env: { NO_COLOR: '1' } }],
  ])('never colours when %s', async (_name, io) => {
    // Arrange
    const dir = tempRepo({ 'sg.yaml': BAD_GROUP });

    // Act
    const r = await run(['check', dir], io);

    // Assert
    expect(r.out).not.toContain('\x1b[');
  });

  it('never colours machine formats, even on a terminal', async () => {
    // Arrange
    const dir = tempRepo({ 'sg.yaml': BAD_GROUP });

    // Act
    const outs = await Promise.all(
      ['json', 'sarif', 'github'].map((format) => run(['check', dir, '--format', format], { isTTY: true })),
    );

    // Assert
    for (const r of outs) expect(r.out).not.toContain('\x1b[');
  });
});
