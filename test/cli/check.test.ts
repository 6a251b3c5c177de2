import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BAD_GROUP, GOOD_GROUP, goodGroup, run, TEMPLATE, tempRepo } from './harness.ts';

// The JSON contract of architecture.md, strict so a renamed or extra field shows up here.
const jsonFinding = z.strictObject({
  rule: z.string(),
  severity: z.enum(['error', 'warning', 'notice']),
  message: z.string(),
  file: z.string(),
  line: z.number().int().min(1),
  column: z.number().int().min(1),
  endLine: z.number().int().min(1),
  endColumn: z.number().int().min(1),
  resource: z.object({ kind: z.string(), name: z.string(), namespace: z.string().optional() }).nullable(),
  scope: z.string(),
  fingerprint: z.string().regex(/^[0-9a-f]{16}$/),
  state: z.enum(['new', 'existing']).optional(),
  related: z.array(z.unknown()).optional(),
  fix: z.unknown().optional(),
});
const jsonReport = z.strictObject({
  version: z.literal(1),
  findings: z.array(jsonFinding),
  suppressed: z.array(jsonFinding.extend({ suppression: z.object({ reason: z.string().nullable() }) })),
  summary: z.strictObject({
    files: z.number(),
    resources: z.number(),
    errors: z.number(),
    warnings: z.number(),
    notices: z.number(),
    new: z.strictObject({ errors: z.number(), warnings: z.number(), notices: z.number() }),
    existing: z.strictObject({ errors: z.number(), warnings: z.number(), notices: z.number() }),
    suppressed: z.number(),
    gaps: z.strictObject({ total: z.number(), noticed: z.number(), templates: z.number() }),
  }),
});

type JsonFinding = z.infer<typeof jsonFinding>;
const errorsAt = (fs: JsonFinding[]) =>
  fs.filter((f) => f.severity === 'error').map((f) => `${f.file}:${f.line}:${f.column}`);

describe('lbguard check: exit status', () => {
  it('exits 0 when no finding is an error', async () => {
    // Arrange
    const dir = tempRepo({ 'purelb/sg.yaml': GOOD_GROUP });

    // Act
    const r = await run(['check', dir]);

    // Assert
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/1 file, 1 resource: 0 errors/);
  });

  it('exits 1 on an error-level finding and points at file:line:column', async () => {
    // Arrange
    const dir = tempRepo({ 'purelb/sg.yaml': BAD_GROUP });

    // Act
    const r = await run(['check', dir, '--format', 'json']);

    // Assert
    expect(r.code).toBe(1);
    const report = jsonReport.parse(JSON.parse(r.out));
    const f = report.findings.find((x) => x.rule === 'resource-shape');
    expect(f && `${f.file}:${f.line}:${f.column}`).toBe('purelb/sg.yaml:1:13');
    expect(f?.resource).toEqual({ kind: 'ServiceGroup', name: 'bad', namespace: 'purelb-system' });
    expect(report.summary).toMatchObject({ files: 1, resources: 1, errors: 1 });
  });

  it('exits 0 when a notice is the only finding', async () => {
    // Arrange
    const dir = tempRepo({ 'charts/sg.yaml': TEMPLATE });

    // Act
    const r = await run(['check', dir, '--format', 'json']);

    // Assert
    expect(r.code).toBe(0);
    const report = jsonReport.parse(JSON.parse(r.out));
    expect(report.findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column}`)).toEqual([
      'template-skipped charts/sg.yaml:1:1',
    ]);
    expect(report.summary.gaps).toEqual({ total: 1, noticed: 1, templates: 0 });
  });

  it('lets a config severity turn an error into a warning, and exits 0', async () => {
    // Arrange
    const dir = tempRepo({
      'purelb/sg.yaml': BAD_GROUP,
      '.github/lbguard.yml': 'rules:\n  resource-shape: warning\n',
    });

    // Act
    const r = await run(['check', dir, '--format', 'json']);

    // Assert
    expect(r.code).toBe(0);
    expect(jsonReport.parse(JSON.parse(r.out)).summary).toMatchObject({ errors: 0, warnings: 1 });
  });

  it('reports a config problem at the key, relative to the repository root', async () => {
    // Arrange
    const dir = tempRepo({ 'purelb/sg.yaml': GOOD_GROUP, '.github/lbguard.yml': 'failOn: new\nbogus: 1\n' });

    // Act
    const r = await run(['check', dir, '--format', 'json']);

    // Assert
    expect(r.code).toBe(1);
    const config = jsonReport.parse(JSON.parse(r.out)).findings.filter((f) => f.rule === 'config');
    expect(config.map((f) => `${f.file}:${f.line}:${f.column}`)).toEqual(['.github/lbguard.yml:2:1']);
  });

  it('takes --config from a path outside the repository', async () => {
    // Arrange
    const dir = tempRepo({ 'purelb/sg.yaml': BAD_GROUP });
    const elsewhere = tempRepo({ 'lbguard.yml': 'rules:\n  resource-shape: off\n' });

    // Act
    const r = await run(['check', dir, '--config', join(elsewhere, 'lbguard.yml')]);

    // Assert
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('resource-shape');
  });
});

describe('lbguard check: usage and I/O errors exit 2', () => {
  it.each([
    ['no command', [], /Usage: lbguard \[options\] \[command\][\s\S]*check \[options\] \[path\.\.\.\]/],
    ['an unknown command', ['lint'], /^lbguard: unknown command 'lint'\n/],
    ['a misspelt command', ['chekc'], /unknown command 'chekc'\n\(Did you mean check\?\)/],
    ['an unknown option', ['check', '--colour'], /unknown option '--colour'/],
    [
      'a misspelt option',
      ['check', '--fromat', 'json'],
      /unknown option '--fromat'\n\(Did you mean --format\?\)/,
    ],
    ['an option without its value', ['check', '--format'], /argument missing/],
  ])('%s', async (_name, argv, message) => {
    // Act
    const r = await run(argv);

    // Assert
    expect(r.code).toBe(2);
    expect(r.out + r.err).toMatch(message);
  });

  it('rejects an unknown format and names the known ones', async () => {
    // Arrange
    const dir = tempRepo({ 'purelb/sg.yaml': GOOD_GROUP });

    // Act
    const r = await run(['check', dir, '--format', 'xml']);

    // Assert
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /argument 'xml' is invalid\. Allowed choices are text, json, sarif, github, junit, codequality\./,
    );
    expect(r.out).toBe('');
  });

  it('fails on a missing folder without printing usage', async () => {
    // Arrange
    const missing = join(tempRepo(), 'nope');

    // Act
    const r = await run(['check', missing]);

    // Assert
    expect(r.code).toBe(2);
    expect(r.err).toBe(`lbguard: ${missing}: no such file or folder\n`);
  });

  it('fails on a missing --config file', async () => {
    // Arrange
    const dir = tempRepo({ 'purelb/sg.yaml': GOOD_GROUP });

    // Act
    const r = await run(['check', dir, '--config', join(dir, 'missing.yml')]);

    // Assert
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/config file .*missing\.yml not found/);
  });

  it('prints help and the version with exit 0', async () => {
    // Act
    const help = await run(['check', '--help']);
    const version = await run(['--version']);

    // Assert
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/--base <ref>/);
    expect(version.code).toBe(0);
    expect(version.out).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('lbguard check: several paths', () => {
  const files = {
    '.github/lbguard.yml': 'failOn: new\n',
    'clusters/a/sg.yaml': BAD_GROUP,
    'clusters/b/sg.yaml': BAD_GROUP.replace('name: bad', 'name: worse'),
    'clusters/b/ok.yaml': GOOD_GROUP,
  };

  it('checks the whole repository but reports only the named files, with repository-relative paths', async () => {
    // Arrange
    const dir = tempRepo(files);

    // Act
    const r = await run([
      'check',
      join(dir, 'clusters/b/sg.yaml'),
      join(dir, 'clusters/b/ok.yaml'),
      '--format',
      'json',
    ]);

    // Assert
    expect(r.code).toBe(1);
    const report = jsonReport.parse(JSON.parse(r.out));
    expect(errorsAt(report.findings)).toEqual(['clusters/b/sg.yaml:1:13']);
    expect(report.summary).toMatchObject({ files: 4, resources: 3, errors: 1 });
  });

  it('exits 0 when the named folders hold no error, even if another folder does', async () => {
    // Arrange
    const dir = tempRepo({ ...files, 'clusters/b/sg.yaml': goodGroup('other', 2) });

    // Act
    const r = await run(['check', join(dir, 'clusters/b'), join(dir, 'clusters/b/ok.yaml')]);

    // Assert
    expect(r.code).toBe(0);
  });

  it('treats a single folder as the repository root even when a parent holds the config', async () => {
    // Arrange
    const dir = tempRepo(files);

    // Act
    const r = await run(['check', join(dir, 'clusters/a'), '--format', 'json']);

    // Assert
    const report = jsonReport.parse(JSON.parse(r.out));
    expect(errorsAt(report.findings)).toEqual(['sg.yaml:1:13']);
  });

  it('reads no files outside the named repository when given its root among the paths', async () => {
    // Arrange
    const dir = tempRepo(files);

    // Act
    const r = await run(['check', dir, join(dir, 'clusters/a'), '--format', 'json']);

    // Assert
    const report = jsonReport.parse(JSON.parse(r.out));
    expect(errorsAt(report.findings)).toEqual(['clusters/a/sg.yaml:1:13', 'clusters/b/sg.yaml:1:13']);
  });
});

describe('lbguard check: one file, and paths outside any repository', () => {
  it('finds the repository root above a single file and reports repository-relative paths', async () => {
    // Arrange
    const dir = tempRepo({
      '.github/lbguard.yml': 'failOn: new\n',
      'clusters/a/sg.yaml': BAD_GROUP,
      'clusters/b/sg.yaml': BAD_GROUP.replace('name: bad', 'name: worse'),
    });

    // Act
    const r = await run(['check', join(dir, 'clusters/a/sg.yaml'), '--format', 'json']);

    // Assert
    expect(r.code).toBe(1);
    expect(errorsAt(jsonReport.parse(JSON.parse(r.out)).findings)).toEqual(['clusters/a/sg.yaml:1:13']);
  });

  it('takes the common folder as the root when nothing above looks like a repository', async () => {
    // Arrange
    const dir = tempRepo({ 'x/a.yaml': BAD_GROUP, 'x/b.yaml': goodGroup('other', 2) });

    // Act
    const r = await run(['check', join(dir, 'x/a.yaml'), join(dir, 'x/b.yaml'), '--format', 'json']);

    // Assert
    expect(errorsAt(jsonReport.parse(JSON.parse(r.out)).findings)).toEqual(['a.yaml:1:13']);
  });
});

describe('lbguard: other commands', () => {
  it.each(['review', 'fix'])('dispatches %s to its module', async (command) => {
    // Act
    const r = await run([command, '--help']);

    // Assert
    expect(r.err).not.toMatch(/unknown command/);
  });
});
