// Flux post-build substitution (`${VAR}`, `${VAR:=default}`, `${VAR:-default}`) applied to parsed
// values, so positions stay those of the manifest as written. Unknown variables stay `${...}`.

import type { Related } from '../findings.ts';
import type { Path } from '../manifests/document.ts';

/** Where one variable's value came from, for a finding's `related` list. */
export type VarSource = Related & { value: string };

export type Vars = ReadonlyMap<string, VarSource>;

/** One substitution made inside a resource's data. */
export type Substitution = { path: Path; name: string; source: VarSource | 'default' };

// Flux (fluxcd/pkg/envsubst) only replaces the braced form; `$VAR` is left as written, and
// `$${VAR}` is the escape that leaves `${VAR}` in the output.
const VAR = /(\$?)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[=-])([^}]*))?\}/g;

export type Substituted = { value: unknown; subs: Substitution[]; changed: boolean };

/**
 * Substitutes every string below `value`. A string that was one placeholder and becomes an
 * integer or boolean takes that type, as it would once Flux's output is parsed as YAML.
 */
export function substitute(value: unknown, vars: Vars, path: Path = []): Substituted {
  const subs: Substitution[] = [];
  let changed = false;
  const walk = (v: unknown, p: Path): unknown => {
    if (typeof v === 'string') {
      if (!v.includes('${')) return v;
      const out = substituteString(v, vars, p, subs);
      if (out !== v) changed = true;
      return out;
    }
    if (Array.isArray(v)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const x = walk(v[i], [...p, i]);
        if (x === v[i]) continue;
        copy ??= [...v];
        copy[i] = x;
      }
      return copy ?? v;
    }
    if (typeof v === 'object' && v !== null) {
      let copy: Record<string, unknown> | undefined;
      for (const [k, x] of Object.entries(v)) {
        const y = walk(x, [...p, k]);
        if (y === x) continue;
        copy ??= { ...(v as Record<string, unknown>) };
        copy[k] = y;
      }
      return copy ?? v;
    }
    return v;
  };
  const result = walk(value, path);
  return { value: result, subs, changed };
}

function substituteString(s: string, vars: Vars, path: Path, subs: Substitution[]): unknown {
  let whole = false;
  const out = s.replace(
    VAR,
    (match, escaped: string, name: string, op: string | undefined, fallback: string | undefined, offset) => {
      if (escaped) return match.slice(1);
      whole = offset === 0 && match.length === s.length;
      const known = vars.get(name);
      // With the colon (`:=`, `:-`) the default also replaces an empty value; without, only an unset one.
      const useDefault =
        op !== undefined &&
        fallback !== undefined &&
        (known === undefined || (op.startsWith(':') && known.value === ''));
      if (known !== undefined && !useDefault) {
        subs.push({ path, name, source: known });
        return known.value;
      }
      if (useDefault) {
        subs.push({ path, name, source: 'default' });
        return fallback;
      }
      return match;
    },
  );
  if (whole && !out.includes('${')) {
    if (/^-?(?:0|[1-9][0-9]*)$/.test(out)) return Number(out);
    if (out === 'true' || out === 'false') return out === 'true';
  }
  return out;
}

/** The value at `path` in plain data, or undefined. */
export function valueAt(data: unknown, path: Path): unknown {
  let v = data;
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (typeof v === 'object' && v !== null && !Array.isArray(v))
      v = (v as Record<string, unknown>)[String(seg)];
    else return undefined;
  }
  return v;
}
