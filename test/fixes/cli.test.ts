// `lbguard fix` on the bundled example: the diff a reviewer sees, and `check` afterwards.
import { cpSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempRepo } from '../cli/harness.ts';
import { FIXTURES, readFixture } from '../helpers.ts';

const EXAMPLE = join(import.meta.dirname, '../../examples/homelab');

/** A scratch copy of examples/homelab, so the example keeps its mistakes. */
function homelab(): string {
  const dir = tempRepo();
  cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

/** Every file of a folder, by relative path. */
const snapshot = (dir: string) => readFixture(relative(FIXTURES, dir));

/*
 * Round one: the slash the media pool's aggregation lacks, disabled: true on the IPPool pods
 * could use, and a prefixAdvertisements entry for 10.50.0.0/24 with the community the other
 * PureLB entries carry (100:100; their undefined "purelb" is not copied). Round two: with its
 * slash back, 10.60.0.0/24 is a routed pool, so it gets its disabled IPPool (crd v1, the flavour
 * the repository uses, in the file holding its IPPools) and its community entry. The games pool
 * (aggregation default, IPPool sized for the range only) gets its community entry but no IPPool:
 * one for 10.70.0.0/24 would overlap purelb-games, so lb-pool-not-exported stays for the reader.
 */
const EXPECTED_DIFF = `--- a/infrastructure/calico/bgpconfiguration.yaml
+++ b/infrastructure/calico/bgpconfiguration.yaml
@@ -16,3 +16,12 @@
     communities:
     - purelb
     - 100:100
+  - cidr: 10.70.0.0/24
+    communities:
+    - 100:100
+  - cidr: 10.50.0.0/24
+    communities:
+    - 100:100
+  - cidr: 10.60.0.0/24
+    communities:
+    - 100:100
--- a/infrastructure/calico/ippools.yaml
+++ b/infrastructure/calico/ippools.yaml
@@ -34,6 +34,7 @@
   cidr: 10.50.0.0/24
   ipipMode: Never
   vxlanMode: Never
+  disabled: true
 ---
 # Sized for the games pool's range, not for the subnet PureLB advertises.
 apiVersion: crd.projectcalico.org/v1
@@ -41,5 +42,16 @@
 metadata:
   name: purelb-games
 spec:
-  cidr: 10.70.0.0/26
+  cidr: 10.70.0.0/24
   disabled: true
+---
+apiVersion: crd.projectcalico.org/v1
+kind: IPPool
+metadata:
+  name: purelb-10-60-0-0-24
+spec:
+  cidr: 10.60.0.0/24
+  disabled: true
+  ipipMode: Never
+  vxlanMode: Never
+  natOutgoing: false
--- a/infrastructure/purelb/servicegroups.yaml
+++ b/infrastructure/purelb/servicegroups.yaml
@@ -35,7 +35,7 @@
         aggregation: /32
       - subnet: 10.60.0.0/24
         pool: 10.60.0.10-10.60.0.50
-        aggregation: "32"
+        aggregation: "/32"
 ---
 # On the node LAN: announced by ARP, not BGP.
 apiVersion: purelb.io/v1
`;

const FIXED_RULES = ['sg-aggregation', 'lb-ippool-allocatable', 'lb-community-missing'];

const rulesOf = (out: string): string[] =>
  (JSON.parse(out) as { findings: { rule: string }[] }).findings.map((f) => f.rule);

describe('lbguard fix on examples/homelab', () => {
  it('--dry-run prints the unified diff and changes nothing', async () => {
    // Arrange
    const dir = homelab();
    const before = snapshot(dir);
    // Act
    const r = await run(['fix', '--dry-run', dir]);
    // Assert
    expect(r.err).toBe('');
    expect(r.out).toBe(EXPECTED_DIFF);
    expect(snapshot(dir)).toEqual(before);
  });

  it('applies the fixes in place, after which check reports none of them', async () => {
    // Arrange
    const dir = homelab();
    const before = rulesOf((await run(['check', '--format', 'json', dir])).out);
    // Act
    const r = await run(['fix', dir]);
    const after = rulesOf((await run(['check', '--format', 'json', dir])).out);
    // Assert
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'fixed infrastructure/calico/bgpconfiguration.yaml (lb-community-missing)',
        '  Add prefixAdvertisements entry 10.70.0.0/24 [100:100] to BGPConfiguration default',
        '  Add prefixAdvertisements entry 10.50.0.0/24 [100:100] to BGPConfiguration default',
        '  Add prefixAdvertisements entry 10.60.0.0/24 [100:100] to BGPConfiguration default',
        'fixed infrastructure/calico/ippools.yaml (lb-ippool-allocatable, lb-pool-not-exported)',
        '  Set disabled: true on IPPool purelb-media',
        '  Widen IPPool purelb-games from 10.70.0.0/26 to 10.70.0.0/24, the subnet PureLB advertises',
        '  Add a disabled IPPool purelb-10-60-0-0-24 for 10.60.0.0/24 in infrastructure/calico/ippools.yaml',
        'fixed infrastructure/purelb/servicegroups.yaml (sg-aggregation)',
        '  Set aggregation to /32',
        '',
      ].join('\n'),
    );
    expect(before).toEqual(
      expect.arrayContaining(['sg-aggregation', 'lb-ippool-allocatable', 'lb-community-missing']),
    );
    expect(after.filter((rule) => FIXED_RULES.includes(rule))).toEqual([]);
    // What lbguard cannot decide for the reader stays reported.
    expect(after).toEqual(
      expect.arrayContaining(['bgp-asnumber', 'bgp-community-undefined', 'svc-address-outside-pool']),
    );
    // The 10.60.0.0/24 pool became routed and got its IPPool, and the games IPPool was widened.
    expect(after.filter((rule) => rule === 'lb-pool-not-exported')).toEqual([]);
    expect(readFileSync(join(dir, 'infrastructure/calico/ippools.yaml'), 'utf8')).toContain(
      '# Meant for the media pool, but pods can be given these addresses.\n',
    );
  });

  it('is idempotent: a second fix has nothing left to do', async () => {
    // Arrange
    const dir = homelab();
    await run(['fix', dir]);
    const once = snapshot(dir);
    // Act
    const r = await run(['fix', dir]);
    // Assert
    expect(r.out).toBe('No fixes to apply.\n');
    expect(snapshot(dir)).toEqual(once);
  });
});
