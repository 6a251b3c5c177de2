import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/checks/index.ts';
import { COMMANDS } from '../../src/cli/commands.ts';
import { BAD_GROUP, run, tempRepo } from './harness.ts';

describe('lbguard: per-command help', () => {
  it.each(COMMANDS.map((c) => c.name))('%s --help and -h print its own usage with exit 0', async (name) => {
    // Act
    const long = await run([name, '--help']);
    const short = await run([name, '-h']);
    const viaHelp = await run(['help', name]);

    // Assert
    expect(long.code).toBe(0);
    expect(long.out).toMatch(new RegExp(`^Usage: lbguard ${name} `));
    expect(short.out).toBe(long.out);
    expect(viaHelp.out).toBe(long.out);
    expect(long.err).toBe('');
  });

  it('lists every command in the top-level help', async () => {
    // Act
    const r = await run(['--help']);

    // Assert
    expect(r.code).toBe(0);
    for (const c of COMMANDS)
      expect(r.out.split('\n').find((l) => l.startsWith(`  ${c.name} `))).toContain(c.summary.slice(0, 20));
  });

  it('wraps help to the terminal width', async () => {
    // Act
    const r = await run(['check', '--help'], { columns: 70 });

    // Assert
    expect(Math.max(...r.out.split('\n').map((l) => l.length))).toBeLessThanOrEqual(70);
  });
});

describe('lbguard rules', () => {
  it('lists every rule id with its severity', async () => {
    // Act
    const r = await run(['rules']);

    // Assert
    expect(r.code).toBe(0);
    for (const rule of RULES) expect(r.out).toMatch(new RegExp(`^${rule.id} +${rule.severity} `, 'm'));
  });

  it('prints the catalog as JSON', async () => {
    // Act
    const r = await run(['rules', '--format', 'json']);

    // Assert
    const parsed = JSON.parse(r.out) as { version: number; rules: { id: string; remediation: string }[] };
    expect(parsed.version).toBe(1);
    expect(parsed.rules.map((x) => x.id)).toEqual(RULES.map((x) => x.id));
    expect(parsed.rules.every((x) => x.remediation.length > 0)).toBe(true);
  });
});

describe('lbguard explain', () => {
  it('prints why, what to do, evidence and fix for one rule', async () => {
    // Arrange
    const rule = RULES.find((r) => r.fix && r.evidence.length)!;

    // Act
    const r = await run(['explain', rule.id]);

    // Assert
    expect(r.code).toBe(0);
    expect(r.out).toContain(rule.rationale);
    expect(r.out).toContain(rule.remediation);
    expect(r.out).toContain(rule.evidence[0]);
    expect(r.out).toContain(rule.fix);
    expect(r.out).toContain(`lbguard.dev/ignore: "${rule.id}: why"`);
  });

  it('suggests the nearest rule id for a typo, with exit 2', async () => {
    // Act
    const r = await run(['explain', 'lb-pool-not-exportd']);

    // Assert
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'lbguard: no rule "lb-pool-not-exportd" (did you mean lb-pool-not-exported?); lbguard rules lists them\n',
    );
  });

  it('needs a rule id', async () => {
    // Act
    const r = await run(['explain']);

    // Assert
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/missing required argument 'rule'/);
  });
});

describe('lbguard: colour and width', () => {
  it.each([
    ['FORCE_COLOR off a terminal', false, { FORCE_COLOR: '1' }, true],
    ['FORCE_COLOR over NO_COLOR', true, { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
    ['FORCE_COLOR=0 on a terminal', true, { FORCE_COLOR: '0' }, false],
    ['TERM=dumb on a terminal', true, { TERM: 'dumb' }, false],
  ])('%s', async (_name, isTTY, env, coloured) => {
    // Arrange
    const dir = tempRepo({ 'sg.yaml': BAD_GROUP });

    // Act
    const r = await run(['check', dir], { isTTY, env });

    // Assert
    expect(r.out.includes('\x1b[')).toBe(coloured);
  });
});
