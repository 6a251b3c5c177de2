// A self-referencing YAML alias (`spec: &s {self: *s}`) is an infinite value: a finding at the
// alias, never a crash, and never a way for a PR to switch its own check off.
import { afterEach, describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../src/checks/index.ts';
import { parseConfig } from '../../src/config.ts';
import { analyze } from '../../src/engine.ts';
import { OWNER, pullRequestPayload, REPO, receive, testProbot } from '../app/harness.ts';
import { GOOD, serviceGroup, sha } from '../app/trees.ts';
import { BAD_GROUP, run, tempRepo } from '../cli/harness.ts';
import { fakeGitHub } from '../github/fake.ts';

/** An IPPool whose spec holds itself; the alias `*s` is on line 6, column 9. */
const SELF_ALIAS = `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: loop
spec: &s
  self: *s
  cidr: 10.9.0.0/24
`;

const bytes = (files: Record<string, string>) =>
  Object.entries(files).map(([path, text]) => ({ path, bytes: Buffer.from(text) }));

describe('self-referencing aliases', () => {
  it('are one yaml-syntax error at the alias, and every other finding is still reported', () => {
    // Arrange
    const files = bytes({ 'calico/loop.yaml': SELF_ALIAS, 'purelb/bad.yaml': BAD_GROUP });

    // Act
    const { findings } = analyze(files, {});

    // Assert
    const at = findings.map((f) => `${f.rule}@${f.file}:${f.line}:${f.column}`);
    expect(at).toContain('yaml-syntax@calico/loop.yaml:6:9');
    expect(findings.find((f) => f.file === 'calico/loop.yaml')?.message).toMatch(
      /\*s refers to a node that contains it/,
    );
    expect(findings.some((f) => f.file === 'purelb/bad.yaml' && f.severity === 'error')).toBe(true);
  });

  it('in a sequence, or inside a Flux HelmRelease values string, do not crash either', () => {
    // Arrange
    const seq = 'apiVersion: purelb.io/v1\nkind: ServiceGroup\nmetadata:\n  name: s\nspec: &l [1, *l]\n';
    const release = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: purelb
  namespace: purelb
spec:
  chart:
    spec:
      chart: purelb
  values: |
    a: &v
      b: *v
`;

    // Act
    const { findings } = analyze(bytes({ 'a.yaml': seq, 'hr.yaml': release }), {});

    // Assert
    expect(findings.map((f) => `${f.rule}@${f.file}:${f.line}`)).toContain('yaml-syntax@a.yaml:5');
  });

  it('in the config file are a config finding, not a crash', () => {
    // Act
    const parsed = parseConfig('rules: &r\n  loop: *r\n', '.github/lbguard.yml', RULE_IDS);

    // Assert
    expect(parsed.reports.map((r) => `${r.rule}:${r.line}:${r.column}`)).toEqual(['config:2:9']);
  });

  it('lbguard check reports the alias and the other findings, exit 1', async () => {
    // Arrange
    const dir = tempRepo({ 'calico/loop.yaml': SELF_ALIAS, 'purelb/bad.yaml': BAD_GROUP });

    // Act
    const r = await run(['check', dir, '--format', 'json']);

    // Assert
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const found = JSON.parse(r.out).findings.map(
      (f: { rule: string; file: string }) => `${f.rule}@${f.file}`,
    );
    expect(found).toContain('yaml-syntax@calico/loop.yaml');
    expect(found.some((f: string) => f.endsWith('@purelb/bad.yaml'))).toBe(true);
  });
});

describe('the App on a PR with two new errors plus a self-alias file', () => {
  let stop = () => {};
  afterEach(() => stop());

  it('concludes failure, not neutral', { timeout: 90_000 }, async () => {
    // Arrange
    const HEAD = sha('a');
    const BASE = sha('b');
    const MERGE_BASE = sha('c');
    const head = {
      ...GOOD,
      'purelb/servicegroups.yaml': serviceGroup('172.30.200.0/23'),
      'purelb/bad.yaml': BAD_GROUP,
      'calico/loop.yaml': SELF_ALIAS,
    };
    const gh = fakeGitHub({
      owner: OWNER,
      repo: REPO,
      trees: { [HEAD]: head, [MERGE_BASE]: GOOD },
      compare: {
        [`${BASE}...${HEAD}`]: {
          mergeBase: MERGE_BASE,
          files: ['purelb/servicegroups.yaml', 'purelb/bad.yaml', 'calico/loop.yaml'],
        },
      },
      config: null,
    });
    stop = gh.stop;
    const probot = await testProbot();

    // Act
    await receive(
      probot,
      'pull_request',
      pullRequestPayload('opened', { number: 7, headSha: HEAD, baseSha: BASE }),
    );

    // Assert
    expect(gh.errors).toEqual([]);
    const run = gh.runs[0]!;
    expect(run.conclusion).toBe('failure');
    expect(run.annotations.map((a) => `${a.path}:${a.start_line}`)).toContain('calico/loop.yaml:6');
  });
});
