// Which PureLB API a chart installation creates: the values decide where they can, else the
// newest chart version a Flux `version` or Argo CD `targetRevision` range lets Helm pick.
import { isRecord } from '../manifests/load.ts';

/** PureLB 0.15 introduced purelb.io/v2. */
export function pureLbVersionOf(chartVersion: string | undefined, sgSpec: unknown): 'v1' | 'v2' {
  if (isRecord(sgSpec)) {
    if (sgSpec.remote !== undefined || sgSpec.external !== undefined) return 'v2';
    const local = sgSpec.local;
    if (isRecord(local) && (local.subnet !== undefined || local.pool !== undefined)) return 'v1';
  }
  const newest = newestAllowed(chartVersion);
  return newest === undefined || newest.major > 0 || newest.minor >= 15 ? 'v2' : 'v1';
}

type Version = { major: number; minor: number };

/**
 * The newest version a chart version or semver range (Flux `version`, Argo CD `targetRevision`)
 * lets Helm pick, as far as v1 or v2 goes; undefined when nothing bounds it (no version, `*`,
 * `>=0.13`): Helm then installs the latest chart. `||` takes the newest alternative.
 */
export function newestAllowed(range: string | undefined): Version | undefined {
  if (range === undefined) return undefined;
  let best: Version | undefined;
  for (const alt of range.split('||')) {
    const v = newestOfSet(alt.trim());
    if (v === undefined) return undefined;
    if (!best || v.major > best.major || (v.major === best.major && v.minor > best.minor)) best = v;
  }
  return best;
}

function newestOfSet(set: string): Version | undefined {
  // A hyphen range `0.13 - 0.14` is bounded by its upper end.
  const hyphen = /^\S+\s+-\s+(\S+)$/.exec(set);
  const terms = hyphen ? [`<=${hyphen[1]}`] : set.split(/[\s,]+/).filter(Boolean);
  let upper: Version | undefined;
  for (const term of terms) {
    const m = /^(\^|~>?|[<>]=?|=)?v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+))?/.exec(term);
    if (!m) return undefined; // not a version lbguard can read: assume the latest chart
    const [, op = '', majorText = '', minorText, patchText] = m;
    if (op.startsWith('>') || /[xX*]/.test(majorText)) continue; // no upper bound in this term
    const major = Number(majorText);
    const minor = minorText === undefined || /[xX*]/.test(minorText) ? Infinity : Number(minorText);
    let v: Version;
    if (op === '^') v = major > 0 ? { major, minor: Infinity } : { major, minor };
    else if (op === '<') {
      // <0.15 and <0.15.0 allow 0.14.x at most; <0.15.2 allows 0.15.1.
      const exclusive = minor === Infinity || !patchText || Number(patchText) === 0;
      v =
        minor === Infinity
          ? { major: major - 1, minor: Infinity }
          : { major, minor: exclusive ? minor - 1 : minor };
    } else v = { major, minor };
    if (!upper || v.major < upper.major || (v.major === upper.major && v.minor < upper.minor)) upper = v;
  }
  return upper;
}
