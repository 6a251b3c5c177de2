// Manifests several fix tests start from.

/** A v2 routed pool (aggregation default, so the whole /24 is advertised) with nothing covering it. */
export const ROUTED_SG = `apiVersion: purelb.io/v2
kind: ServiceGroup
metadata:
  name: web
  namespace: purelb-system
spec:
  remote:
    v4pools:
    - subnet: 10.30.0.0/24
      pool: 10.30.0.10-10.30.0.50
      aggregation: default
`;
