// One row per PureLB pool for summaries (the check run's pool table, the text report).
import type { Config } from '../config.ts';
import type { Model } from '../manifests/model.ts';
import { formatInterval } from '../net/ip.ts';
import { analyzePools, describeAdvertised } from './pools.ts';

export type PoolRow = {
  scope: string;
  group: string;
  file: string;
  pool: string;
  mode: 'routed' | 'local';
  advertised: string;
  coveringIpPool: string;
  communities: string;
  verdict: 'ok' | 'problem' | 'unknown';
};

export function poolRows(m: Model, config: Config, scope: string): PoolRow[] {
  return analyzePools(m, config.nodeSubnets).map((p) => ({
    scope,
    group: p.group.res.name,
    file: p.group.res.file,
    pool: p.range ? formatInterval(p.range) : (p.pool.pool ?? ''),
    mode: p.routed ? 'routed' : 'local',
    advertised: p.advertised && p.routed ? describeAdvertised(p.advertised) : '',
    coveringIpPool: '',
    communities: '',
    verdict: p.valid ? 'ok' : p.unresolved ? 'unknown' : 'problem',
  }));
}
