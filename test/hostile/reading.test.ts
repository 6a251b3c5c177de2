// Read like kubectl and Flux: encodings, line ends, directives, YAML 1.1 booleans and merge keys;
// what cannot be read is a file-skipped notice, never silence.
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/engine.ts';
import { loadFiles } from '../../src/manifests/load.ts';
import { run, tempRepo } from '../cli/harness.ts';

/** A ServiceGroup PureLB does not serve (purelb.io/v9): an error on line 1, column 13. */
const BAD = `apiVersion: purelb.io/v9
kind: ServiceGroup
metadata:
  name: bad
  namespace: purelb-system
spec:
  local:
    subnet: 192.168.1.0/24
`;

const POOL = `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: lb
spec:
  cidr: 10.0.0.0/24
`;

const findingsOf = (path: string, bytes: Uint8Array) => analyze([{ path, bytes }], {}).findings;
const at = (fs: ReturnType<typeof findingsOf>) => fs.map((f) => `${f.rule}@${f.line}:${f.column}`);

const utf16be = (s: string) => {
  const le = Buffer.from(s, 'utf16le');
  return Buffer.from(le.map((_, i) => le[i ^ 1]!));
};

describe('encodings and line ends', () => {
  it.each([
    ['UTF-16LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(BAD, 'utf16le')])],
    ['UTF-16BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(BAD)])],
    ['UTF-16LE without a BOM', Buffer.from(BAD, 'utf16le')],
    ['UTF-16BE without a BOM', utf16be(BAD)],
    ['UTF-8 with a BOM', Buffer.from(`\uFEFF${BAD}`)],
    ['CR-only line ends', Buffer.from(BAD.replace(/\n/g, '\r'))],
  ])('reads %s, with positions', (_what, bytes) => {
    // Act
    const found = findingsOf('sg.yaml', bytes);

    // Assert
    expect(found.find((f) => f.severity === 'error')).toMatchObject({ file: 'sg.yaml', line: 1, column: 13 });
    expect(found.map((f) => f.rule)).not.toContain('file-skipped');
  });

  it('skips bytes that are no text with a file-skipped notice', () => {
    // Arrange
    const bytes = Buffer.concat([Buffer.from('kind: IPPool\n'), Buffer.from([0xc3, 0x28, 0xff])]);

    // Act
    const found = findingsOf('p.yaml', bytes);

    // Assert
    expect(at(found)).toEqual(['file-skipped@1:1']);
  });
});

describe('YAML as kubectl reads it', () => {
  it('takes a %YAML 1.2 directive before the document marker, with no false yaml-syntax', () => {
    // Act
    const found = findingsOf('sg.yaml', Buffer.from(`%YAML 1.2\n---\n${BAD}`));

    // Assert
    expect(at(found).filter((a) => !a.startsWith('sg-'))).not.toContain('yaml-syntax@1:1');
    expect(found.map((f) => f.rule)).not.toContain('yaml-syntax');
    expect(found.find((f) => f.severity === 'error')).toMatchObject({ line: 3, column: 13 });
  });

  it('takes a directive in the second document of a file', () => {
    // Act
    const loaded = loadFiles([{ path: 'p.yaml', bytes: Buffer.from(`${POOL}...\n%YAML 1.1\n---\n${POOL}`) }]);

    // Assert
    expect(loaded.reports).toEqual([]);
    expect(loaded.resources).toHaveLength(2);
  });

  it('reads yes/on/off as booleans (YAML 1.1), so no false resource-shape', () => {
    // Act
    const found = findingsOf('p.yaml', Buffer.from(`${POOL}  disabled: yes\n  natOutgoing: off\n`));

    // Assert
    expect(found.map((f) => f.rule)).not.toContain('resource-shape');
    const loaded = loadFiles([{ path: 'p.yaml', bytes: Buffer.from(`${POOL}  disabled: on\n`) }]);
    expect((loaded.resources[0]!.data.spec as { disabled: unknown }).disabled).toBe(true);
  });

  it('merges << keys into the map', () => {
    // Arrange
    const text = `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: lb
spec:
  <<: {cidr: 10.0.0.0/24, disabled: true}
  natOutgoing: false
`;

    // Act
    const loaded = loadFiles([{ path: 'p.yaml', bytes: Buffer.from(text) }]);
    const found = findingsOf('p.yaml', Buffer.from(text));

    // Assert
    expect(loaded.resources[0]!.data.spec).toEqual({
      cidr: '10.0.0.0/24',
      disabled: true,
      natOutgoing: false,
    });
    expect(found.map((f) => f.rule)).not.toContain('resource-shape');
  });
});

describe('deep nesting', () => {
  it('is one yaml-syntax at the level past the limit, not a parser stack overflow', () => {
    // Arrange: 100,000 nested flow sequences on line 6 (the probe blocked the server for seconds).
    const text = `${POOL}  x: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;

    // Act
    const found = findingsOf('p.yaml', Buffer.from(text));

    // Assert
    expect(at(found)).toEqual(['yaml-syntax@7:262']);
    expect(found[0]!.message).toMatch(/nest deeper than 256 levels/);
  });
});

describe('files that are not read say so', () => {
  it('an unreadable file is a file-skipped notice naming why', () => {
    // Act
    const loaded = loadFiles([
      { path: 'x.yaml', bytes: new Uint8Array(), unreadable: 'EACCES opening the file' },
    ]);

    // Assert
    expect(loaded.reports.map((r) => `${r.rule}: ${r.message}`)).toEqual([
      'file-skipped: Not read: EACCES opening the file.',
    ]);
  });

  it('lbguard check reports a 3 GiB manifest as file-skipped without reading it whole', async () => {
    // Arrange: a sparse file, so the test writes 60 bytes, not 3 GiB.
    const dir = tempRepo();
    const fd = openSync(join(dir, 'huge.yaml'), 'w');
    writeSync(fd, 'apiVersion: purelb.io/v1\nkind: ServiceGroup\n');
    ftruncateSync(fd, 3 * 1024 ** 3);
    closeSync(fd);

    // Act
    const r = await run(['check', dir, '--format', 'json']);

    // Assert
    const found = JSON.parse(r.out).findings.map(
      (f: { rule: string; file: string; message: string }) => `${f.rule}@${f.file}: ${f.message}`,
    );
    expect(found).toEqual([
      `file-skipped@huge.yaml: Not read: ${3 * 1024 ** 3} bytes is over the 2097152-byte limit (limits.maxFileBytes).`,
    ]);
  });
});
