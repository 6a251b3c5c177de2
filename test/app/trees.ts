// Small repositories for the App tests. Indentation is exact so positions are predictable.
export const IPPOOLS = `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: purelb-ipv4
spec:
  cidr: 172.30.200.0/24
  disabled: true
`;

export const serviceGroup = (subnet: string) => `apiVersion: purelb.io/v1
kind: ServiceGroup
metadata:
  name: routed
  namespace: purelb
spec:
  local:
    aggregation: default
    pool: 172.30.200.155-172.30.200.160
    subnet: ${subnet}
`;

/** A valid repository: the IPPool covers the ServiceGroup's subnet. */
export const GOOD = {
  'README.md': '# infra\n',
  'calico/ippools.yaml': IPPOOLS,
  'purelb/servicegroups.yaml': serviceGroup('172.30.200.0/24'),
};

/** The PR widens the subnet: the unchanged IPPool no longer covers what PureLB advertises. */
export const BROKEN = { ...GOOD, 'purelb/servicegroups.yaml': serviceGroup('172.30.200.0/23') };

export const BAD_YAML = 'apiVersion: purelb.io/v1\nkind: ServiceGroup\nmetadata:\n  name: [broken\n';

/** A repository lbguard has nothing to say about. */
export const UNRELATED = {
  'README.md': '# app\n',
  'deploy/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n',
};

export const sha = (c: string) => c.repeat(40).slice(0, 40);
