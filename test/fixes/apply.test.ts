import { describe, expect, it } from 'vitest';
import type { FixOp } from '../../src/findings.ts';
import { appendDocument, applyEdit } from '../../src/fixes/apply.ts';

const pool = (ops: FixOp[]) => ({
  kind: 'edit' as const,
  file: 'p.yaml',
  resource: { kind: 'IPPool', name: 'lb' },
  ops,
});

const IPPOOL = `# LB range
apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: lb # for PureLB
spec:
  cidr: "10.0.0.5/24"   # written by hand
  disableBGPExport: true
  ipipMode: Always
---
apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: pods
spec:
  cidr: 10.244.0.0/16
`;

describe('applyEdit', () => {
  it('replaces a scalar in place, keeping its quotes and the comment after it', () => {
    const out = applyEdit(IPPOOL, pool([{ op: 'set', path: ['spec', 'cidr'], value: '10.0.0.0/24' }]));
    expect(out).toBe(IPPOOL.replace('"10.0.0.5/24"', '"10.0.0.0/24"'));
  });

  it('adds a missing key at the end of its map, at the map indentation', () => {
    const out = applyEdit(IPPOOL, pool([{ op: 'set', path: ['spec', 'disabled'], value: true }]));
    expect(out).toBe(IPPOOL.replace('  ipipMode: Always\n', '  ipipMode: Always\n  disabled: true\n'));
  });

  it('deletes a key and only its line', () => {
    const out = applyEdit(IPPOOL, pool([{ op: 'delete', path: ['spec', 'disableBGPExport'] }]));
    expect(out).toBe(IPPOOL.replace('  disableBGPExport: true\n', ''));
  });

  it('composes several ops and is idempotent', () => {
    const ops: FixOp[] = [
      { op: 'set', path: ['spec', 'ipipMode'], value: 'Never' },
      { op: 'set', path: ['spec', 'disabled'], value: true },
      { op: 'delete', path: ['spec', 'disableBGPExport'] },
    ];
    const once = applyEdit(IPPOOL, pool(ops));
    expect(applyEdit(once, pool(ops))).toBe(once);
    expect(once).toContain('  ipipMode: Never\n  disabled: true\n---');
    expect(once).toContain('# LB range\n');
    expect(once).toContain('name: lb # for PureLB');
  });

  it('appends a list item in the style the file uses (dash at the key column)', () => {
    const text = `apiVersion: crd.projectcalico.org/v1
kind: BGPConfiguration
metadata:
  name: default
spec:
  prefixAdvertisements:
  - cidr: 10.0.0.0/24
    communities:
    - 100:100
`;
    const edit = {
      kind: 'edit' as const,
      file: 'b.yaml',
      resource: { kind: 'BGPConfiguration', name: 'default' },
      ops: [
        {
          op: 'append',
          path: ['spec', 'prefixAdvertisements'],
          value: { cidr: '10.1.0.0/24', communities: ['100:100'] },
        },
      ] satisfies FixOp[],
    };
    const out = applyEdit(text, edit);
    expect(out).toBe(`${text}  - cidr: 10.1.0.0/24\n    communities:\n    - 100:100\n`);
    expect(applyEdit(out, edit)).toBe(out);
  });

  it('creates a missing list under its parent map', () => {
    const text = `apiVersion: crd.projectcalico.org/v1
kind: BGPConfiguration
metadata:
  name: default
spec:
  asNumber: 64512
`;
    const out = applyEdit(text, {
      kind: 'edit',
      file: 'b.yaml',
      resource: { kind: 'BGPConfiguration', name: 'default' },
      ops: [{ op: 'append', path: ['spec', 'communities'], value: { name: 'purelb', value: '64512:100' } }],
    });
    expect(out).toBe(`${text}  communities:\n    - name: purelb\n      value: 64512:100\n`);
  });

  it('falls back to the Document API for flow maps', () => {
    const text =
      'apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata: {name: lb}\nspec: {cidr: 10.0.0.0/24}\n';
    const out = applyEdit(text, pool([{ op: 'set', path: ['spec', 'disabled'], value: true }]));
    expect(out).toContain('disabled: true');
    expect(out).toContain('cidr: 10.0.0.0/24');
  });

  it('re-serialises only the edited document in the fallback, the others keep their bytes', () => {
    // Arrange
    const first =
      '# pods\napiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata: {name: pods}   # odd spacing kept\nspec: {cidr: 10.244.0.0/16}\n';
    const second =
      '---\napiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata: {name: lb}\nspec: {cidr: 10.0.0.0/24}\n';
    // Act
    const out = applyEdit(first + second, pool([{ op: 'set', path: ['spec', 'disabled'], value: true }]));
    // Assert
    expect(out).toBe(
      `${first}---\napiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata: { name: lb }\nspec: { cidr: 10.0.0.0/24, disabled: true }\n`,
    );
  });

  it('appends to an empty flow map by creating the list', () => {
    // Arrange
    const text =
      'apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata:\n  name: default\nspec: {}\n';
    const edit = {
      kind: 'edit' as const,
      file: 'b.yaml',
      resource: { kind: 'BGPConfiguration', name: 'default' },
      ops: [
        { op: 'append', path: ['spec', 'prefixAdvertisements'], value: { cidr: '10.1.0.0/24' } },
      ] satisfies FixOp[],
    };
    // Act
    const out = applyEdit(text, edit);
    // Assert
    expect(out).toBe(text.replace('spec: {}', 'spec: { prefixAdvertisements: [ { cidr: 10.1.0.0/24 } ] }'));
    expect(applyEdit(out, edit)).toBe(out);
  });
});

describe('appendDocument', () => {
  it('appends after a separator and does not add the same resource twice', () => {
    const doc = {
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'IPPool',
      metadata: { name: 'x' },
      spec: { cidr: '10.9.0.0/24', disabled: true },
    };
    const once = appendDocument(IPPOOL, { kind: 'document', file: 'p.yaml', content: doc });
    expect(once).toBe(
      `${IPPOOL}---\napiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata:\n  name: x\nspec:\n  cidr: 10.9.0.0/24\n  disabled: true\n`,
    );
    expect(appendDocument(once, { kind: 'document', file: 'p.yaml', content: doc })).toBe(once);
  });
});

describe('appendDocument into a file without documents', () => {
  it.each(['\n', '# only a comment\n', '   '])(
    'writes the new document after %j without throwing',
    (text) => {
      const doc = {
        apiVersion: 'projectcalico.org/v3',
        kind: 'IPPool',
        metadata: { name: 'x' },
        spec: { cidr: '10.9.0.0/24' },
      };
      const out = appendDocument(text, { kind: 'document', file: 'p.yaml', content: doc });
      expect(out).toContain('kind: IPPool');
      expect(out.startsWith(text.trim() === '' ? 'apiVersion' : '# only a comment\n---\n')).toBe(true);
    },
  );
});
