// `lbguard routes`: the route table of a folder, and with --base what a commit changes on the wire.
import { describe, expect, it } from 'vitest';
import { bgpConfig, ipPool, peer, sg } from '../routes/fixtures.ts';
import { commitAll, initGit, run, tempRepo, writeFiles } from './harness.ts';

const REPO = {
  'purelb/sg.yaml': sg('host', '10.10.2.0/24', '10.10.2.10-10.10.2.20', '/32'),
  'calico/ippools.yaml': ipPool('lb', '10.10.0.0/16', 'disabled: true'),
  'calico/bgp.yaml': bgpConfig(
    'default',
    'nodeToNodeMeshEnabled: false',
    'prefixAdvertisements:',
    '- cidr: 10.10.0.0/16',
    '  communities: ["65000:100"]',
  ),
  'calico/peer.yaml': peer('tor', '192.168.1.1'),
};

type RouteJson = {
  prefix: string;
  family: string;
  source: {
    kind: string;
    resource: { kind: string; name: string; namespace?: string };
    file: string;
    line: number;
  };
  exported: boolean;
  reason?: { code: string; rule?: string; file?: string; line?: number };
  communities: string[];
  peers: { peer: string; count: number }[];
  count: number;
};
type Out = {
  version: number;
  scopes: { scope: string; peers: { peer: string; count: number; before?: number }[]; routes: RouteJson[] }[];
  changes?: {
    change: string;
    scope: string;
    prefix: string;
    before?: RouteJson;
    after?: RouteJson;
    cause: { file: string; line: number };
  }[];
};

describe('lbguard routes', () => {
  it('prints every route of a folder as JSON contract v1', async () => {
    // Arrange
    const dir = tempRepo(REPO);

    // Act
    const r = await run(['routes', dir, '--format', 'json']);

    // Assert
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as Out;
    expect(out.version).toBe(1);
    expect(out.scopes[0]!.peers).toEqual([
      { peer: 'BGPPeer tor', kind: 'bgppeer', peerIP: '192.168.1.1', asNumber: '65001', count: 11 },
    ]);
    expect(out.scopes[0]!.routes).toEqual([
      {
        prefix: '10.10.2.10/32-10.10.2.20/32',
        family: 'IPv4',
        source: {
          kind: 'pool',
          resource: { kind: 'ServiceGroup', name: 'host', namespace: 'purelb' },
          file: 'purelb/sg.yaml',
          line: 9,
        },
        exported: true,
        communities: ['65000:100'],
        peers: [
          { peer: 'BGPPeer tor', kind: 'bgppeer', peerIP: '192.168.1.1', asNumber: '65001', count: 11 },
        ],
        count: 11,
      },
    ]);
    expect(out.changes).toBeUndefined();
  });

  it('names the withdrawn route, why and the deleted IPPool in the base with --base', async () => {
    // Arrange
    const dir = tempRepo(REPO);
    initGit(dir);
    commitAll(dir, 'base');
    writeFiles(dir, { 'calico/ippools.yaml': '# the LoadBalancer pool is gone\n' });

    // Act
    const json = await run(['routes', dir, '--base', 'main', '--format', 'json']);
    const text = await run(['routes', dir, '--base', 'main']);

    // Assert
    const out = JSON.parse(json.out) as Out;
    expect(out.changes!.map((c) => [c.change, c.prefix, c.cause])).toEqual([
      ['withdrawn', '10.10.2.10/32-10.10.2.20/32', { file: 'calico/ippools.yaml', line: 6, tree: 'base' }],
    ]);
    expect(out.changes![0]!.after!.reason).toMatchObject({
      code: 'no-covering-ippool',
      rule: 'lb-pool-not-exported',
      file: 'purelb/sg.yaml',
      line: 9,
    });
    expect(out.scopes[0]!.peers[0]).toMatchObject({ peer: 'BGPPeer tor', count: 0, before: 11 });
    expect(text.out).toContain(
      '  - default 10.10.2.10/32-10.10.2.20/32: withdrawn (11 routes) from BGPPeer tor: 10.10.2.10/32 lies in no IPPool that exports it (lb-pool-not-exported, purelb/sg.yaml:9) [calico/ippools.yaml:6 (in the base)]',
    );
    expect(text.out).toContain('  default BGPPeer tor: 11 -> 0 routes');
  });

  it('says when a scope has no Calico resources instead of an empty table', async () => {
    // Arrange
    const dir = tempRepo({ 'purelb/sg.yaml': REPO['purelb/sg.yaml'] });

    // Act
    const r = await run(['routes', dir]);

    // Assert
    expect(r.out).toContain('No Calico resources in this scope');
  });

  it('rejects an unknown format with exit 2', async () => {
    // Arrange
    const dir = tempRepo(REPO);

    // Act
    const r = await run(['routes', dir, '--format', 'sarif']);

    // Assert
    expect(r.code).toBe(2);
    expect(r.err).toContain('sarif');
  });
});
