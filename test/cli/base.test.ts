import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BAD_GROUP, commitAll, GOOD_GROUP, initGit, run, tempRepo, writeFiles } from './harness.ts';

type Json = { findings: { rule: string; file: string; line: number; column: number; state?: string }[] };
const parse = (out: string) => JSON.parse(out) as Json;
const states = (out: string) =>
  parse(out)
    .findings.filter((f) => f.rule === 'resource-shape')
    .map((f) => `${f.file}:${f.line}:${f.column} ${f.state}`);

/** A checkout whose `main` commit already has one broken group. */
function repoWithOldError(subdir = ''): string {
  const dir = tempRepo({ [join(subdir, 'purelb/old.yaml')]: BAD_GROUP });
  initGit(dir);
  commitAll(dir, 'base');
  return dir;
}

/** The old error in old.yaml and a new one in new.yaml, which sorts first by path. */
function repoWithOldAndNewError(): string {
  const dir = repoWithOldError();
  writeFiles(dir, { 'purelb/a-new.yaml': BAD_GROUP.replace('name: bad', 'name: fresh') });
  return dir;
}

describe('lbguard check: new first, --new-only, --fail-on', () => {
  it.each(['text', 'github'])('prints the new finding before the pre-existing one (%s)', async (format) => {
    // Arrange: the old error's file sorts after the new one's... and before, swapped below.
    const dir = repoWithOldError();
    writeFiles(dir, { 'purelb/z-new.yaml': BAD_GROUP.replace('name: bad', 'name: fresh') });

    // Act
    const r = await run(['check', dir, '--base', 'main', '--format', format]);

    // Assert
    expect(r.out.indexOf('z-new.yaml')).toBeGreaterThan(-1);
    expect(r.out.indexOf('z-new.yaml')).toBeLessThan(r.out.indexOf('old.yaml'));
  });

  it('--new-only leaves the pre-existing findings out of every format and the counts', async () => {
    // Arrange
    const dir = repoWithOldAndNewError();

    // Act
    const json = await run(['check', dir, '--base', 'main', '--new-only', '--format', 'json']);
    const text = await run(['check', dir, '--base', 'main', '--new-only']);

    // Assert
    expect(states(json.out)).toEqual(['purelb/a-new.yaml:1:13 new']);
    expect(JSON.parse(json.out).summary).toMatchObject({
      errors: 1,
      new: { errors: 1 },
      existing: { errors: 0 },
    });
    expect(text.out).not.toContain('old.yaml');
    expect(json.code).toBe(1);
  });

  it('counts new and pre-existing findings apart in the JSON summary', async () => {
    // Arrange
    const dir = repoWithOldAndNewError();

    // Act
    const r = await run(['check', dir, '--base', 'main', '--format', 'json']);

    // Assert
    expect(JSON.parse(r.out).summary).toMatchObject({
      errors: 2,
      new: { errors: 1, warnings: 0, notices: 0 },
      existing: { errors: 1, warnings: 0, notices: 0 },
      suppressed: 0,
    });
  });

  it.each([
    ['none', 'an error', BAD_GROUP, 0],
    ['error', 'a warning only', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n', 0],
    ['warning', 'an error', BAD_GROUP, 1],
  ])('--fail-on %s with %s exits %s', async (failOn, _what, text, code) => {
    // Arrange
    const dir = tempRepo({ 'purelb/sg.yaml': text });

    // Act
    const r = await run(['check', dir, '--fail-on', failOn]);

    // Assert
    expect(r.code).toBe(code);
  });

  it('--fail-on warning fails on a new warning and not on a pre-existing one', async () => {
    // Arrange: the config turns the broken group into a warning, in the base and in the change.
    const dir = repoWithOldError();
    writeFiles(dir, { '.github/lbguard.yml': 'rules:\n  resource-shape: warning\n' });
    commitAll(dir, 'config');
    writeFiles(dir, { 'purelb/a-new.yaml': BAD_GROUP.replace('name: bad', 'name: fresh') });

    // Act
    const withNew = await run(['check', dir, '--base', 'main', '--fail-on', 'warning']);
    const withoutNew = await run([
      'check',
      join(dir, 'purelb/old.yaml'),
      '--base',
      'main',
      '--fail-on',
      'warning',
    ]);
    const byDefault = await run(['check', dir, '--base', 'main']);

    // Assert
    expect(withNew.code).toBe(1);
    expect(byDefault.code).toBe(0);
    expect(withoutNew.code).toBe(0);
  });

  it('sets the GitHub Actions step outputs when $GITHUB_OUTPUT is set', async () => {
    // Arrange
    const dir = repoWithOldAndNewError();
    const outputs = join(tempRepo(), 'github-output');

    // Act
    const r = await run(['check', dir, '--base', 'main', '--format', 'github'], {
      env: { GITHUB_OUTPUT: outputs },
    });

    // Assert
    expect(r.code).toBe(1);
    expect(readFileSync(outputs, 'utf8')).toBe('new-errors=1\nnew-warnings=0\nconclusion=failure\n');
  });
});

describe('lbguard check --base', () => {
  it('marks a finding already in the base as existing, even when it moved, and exits 0', async () => {
    // Arrange
    const dir = repoWithOldError();
    writeFiles(dir, { 'purelb/old.yaml': `# moved down by a comment\n${BAD_GROUP}` });

    // Act
    const r = await run(['check', dir, '--base', 'main', '--format', 'json']);

    // Assert
    expect(states(r.out)).toEqual(['purelb/old.yaml:2:13 existing']);
    expect(r.code).toBe(0);
  });

  it('marks a finding the change brought in as new and exits 1', async () => {
    // Arrange
    const dir = repoWithOldError();
    writeFiles(dir, { 'purelb/new.yaml': BAD_GROUP.replace('name: bad', 'name: fresh') });

    // Act
    const r = await run(['check', dir, '--base', 'main', '--format', 'json']);

    // Assert
    expect(states(r.out)).toEqual(['purelb/new.yaml:1:13 new', 'purelb/old.yaml:1:13 existing']);
    expect(r.code).toBe(1);
  });

  it('fails on pre-existing errors too when config says failOn: all', async () => {
    // Arrange
    const dir = repoWithOldError();
    writeFiles(dir, { '.github/lbguard.yml': 'failOn: all\n' });

    // Act
    const r = await run(['check', dir, '--base', 'main', '--format', 'json']);

    // Assert
    expect(states(r.out)).toEqual(['purelb/old.yaml:1:13 existing']);
    expect(r.code).toBe(1);
  });

  it('shows pre-existing findings in text', async () => {
    // Arrange
    const dir = repoWithOldError();

    // Act
    const r = await run(['check', dir, '--base', 'HEAD']);

    // Assert
    expect(r.out).toMatch(/resource-shape \(pre-existing\)\n/);
    expect(r.out).toMatch(
      /1 error, 0 warnings, 0 notices \(new: 0 errors, 0 warnings; pre-existing: 1 error, 0 warnings\)\n$/,
    );
    expect(r.code).toBe(0);
  });

  it('compares a sub-folder of the checkout with the same sub-folder at the ref', async () => {
    // Arrange
    const dir = repoWithOldError('infra');
    writeFiles(dir, {
      'purelb/outside.yaml': BAD_GROUP.replace('name: bad', 'name: outside'),
      'infra/purelb/new.yaml': BAD_GROUP.replace('name: bad', 'name: fresh'),
    });
    commitAll(dir, 'head');

    // Act
    const r = await run(['check', join(dir, 'infra'), '--base', 'HEAD~1', '--format', 'json']);

    // Assert
    expect(states(r.out)).toEqual(['purelb/new.yaml:1:13 new', 'purelb/old.yaml:1:13 existing']);
    expect(r.code).toBe(1);
  });

  it('annotates paths from the checkout top in the github format when the root is a sub-folder', async () => {
    // Arrange
    const dir = repoWithOldError('infra');

    // Act
    const r = await run(['check', join(dir, 'infra'), '--base', 'HEAD', '--format', 'github']);

    // Assert
    expect(r.out.split('\n')[0]).toBe(
      '::notice file=infra/purelb/old.yaml,line=1,col=13,endLine=1,endColumn=25,title=resource-shape::' +
        'Unknown PureLB apiVersion purelb.io/v9: PureLB serves purelb.io/v1 and purelb.io/v2. (pre-existing)',
    );
  });

  it('writes SARIF with checkout-relative URIs and the baseline state', async () => {
    // Arrange
    const dir = repoWithOldError('infra');

    // Act
    const r = await run(['check', join(dir, 'infra'), '--base', 'HEAD', '--format', 'sarif']);

    // Assert
    const results = (
      JSON.parse(r.out) as {
        runs: {
          results: { ruleId: string; baselineState: string; locations: { physicalLocation: unknown }[] }[];
        }[];
      }
    ).runs[0]!.results.filter((x) => x.ruleId === 'resource-shape');
    expect(results.map((x) => [x.baselineState, x.locations[0]?.physicalLocation])).toEqual([
      [
        'unchanged',
        {
          artifactLocation: { uri: 'infra/purelb/old.yaml', uriBaseId: '%SRCROOT%' },
          region: { startLine: 1, startColumn: 13, endLine: 1, endColumn: 25 },
        },
      ],
    ]);
    expect(r.code).toBe(0);
  });

  it('compares against a plain folder given as --base', async () => {
    // Arrange
    const base = tempRepo({ 'purelb/old.yaml': BAD_GROUP });
    const head = tempRepo({ 'purelb/old.yaml': BAD_GROUP, 'purelb/ok.yaml': GOOD_GROUP });

    // Act
    const r = await run(['check', head, '--base', base, '--format', 'json']);

    // Assert
    expect(states(r.out)).toEqual(['purelb/old.yaml:1:13 existing']);
    expect(r.code).toBe(0);
  });

  it('exits 2 with a clear message when the folder is not a git checkout', async () => {
    // Arrange
    const dir = tempRepo({ 'purelb/sg.yaml': GOOD_GROUP });

    // Act
    const r = await run(['check', dir, '--base', 'main']);

    // Assert
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--base main: .* is not inside a git checkout/);
    expect(r.err).not.toMatch(/Usage/);
  });

  it('exits 2 on a ref that names no commit, and never passes it to git as an option', async () => {
    // Arrange
    const dir = repoWithOldError();

    // Act
    const missing = await run(['check', dir, '--base', 'no-such-branch']);
    const option = await run(['check', dir, '--base=--output=/tmp/x']);

    // Assert
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--base no-such-branch: no such git commit, branch or tag/);
    expect(option.code).toBe(2);
  });
});
