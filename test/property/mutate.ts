// Mutations of valid manifests: as objects (drop, retype, swap, odd addresses) and as text
// (truncate, insert tabs and odd unicode, duplicate documents).
import fc from 'fast-check';
import { stringify } from 'yaml';
import { addressLike, anyValue, BASE, WORKLOAD } from './corpus.ts';

type Json = Record<string | number, unknown>;
type PathT = (string | number)[];

function paths(v: unknown, prefix: PathT = []): PathT[] {
  if (typeof v !== 'object' || v === null) return [];
  const out: PathT[] = [];
  for (const [k, x] of Object.entries(v)) {
    const p = [...prefix, Array.isArray(v) ? Number(k) : k];
    out.push(p, ...paths(x, p));
  }
  return out;
}

function parentOf(root: unknown, path: PathT): Json | undefined {
  let node = root as Json | undefined;
  for (const seg of path.slice(0, -1)) {
    node = node?.[seg] as Json | undefined;
    if (typeof node !== 'object' || node === null) return undefined;
  }
  return node;
}

/** Keys whose values the rules parse as addresses, ranges, prefixes, AS numbers or communities. */
const ADDRESS_KEYS = new Set([
  'subnet',
  'pool',
  'aggregation',
  'cidr',
  'peerIP',
  'asNumber',
  'value',
  'loadBalancerIP',
  'purelb.io/addresses',
  'blockSize',
  'extlbint',
]);

export type ObjectMutation =
  | { op: 'drop'; at: number }
  | { op: 'field'; at: number; value: string }
  | { op: 'set'; at: number; value: unknown }
  | { op: 'address'; at: number; value: string }
  | { op: 'swap'; at: number; other: number }
  | { op: 'rename'; at: number; key: string };

export const objectMutation: fc.Arbitrary<ObjectMutation> = fc.oneof(
  fc.record({ op: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: anyValue }),
  fc.record({ op: fc.constant('address' as const), at: fc.nat(), value: addressLike }),
  fc.record({ op: fc.constant('field' as const), at: fc.nat(), value: addressLike }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
  fc.record({ op: fc.constant('rename' as const), at: fc.nat(), key: fc.string({ maxLength: 12 }) }),
);

export function applyObjectMutation(doc: Json, m: ObjectMutation): void {
  const all = paths(doc);
  const candidates = m.op === 'field' ? all.filter((p) => ADDRESS_KEYS.has(String(p[p.length - 1]))) : all;
  if (candidates.length === 0) return;
  const path = candidates[m.at % candidates.length]!;
  const parent = parentOf(doc, path);
  if (!parent) return;
  const key = path[path.length - 1]!;
  switch (m.op) {
    case 'drop':
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      break;
    case 'set':
      parent[key] = structuredClone(m.value);
      break;
    case 'address':
    case 'field':
      parent[key] = m.value;
      break;
    case 'swap': {
      const otherPath = all[m.other % all.length]!;
      const otherParent = parentOf(doc, otherPath);
      if (!otherParent) return;
      const otherKey = otherPath[otherPath.length - 1]!;
      const a = parent[key];
      const b = otherParent[otherKey];
      // Swapping a node with its own descendant would make a cycle; copies avoid it.
      parent[key] = structuredClone(b);
      otherParent[otherKey] = structuredClone(a);
      break;
    }
    case 'rename':
      if (!Array.isArray(parent) && m.key !== '') {
        parent[m.key] = parent[key];
        if (m.key !== key) delete parent[key];
      }
      break;
  }
}

/** A small repository: the base manifests, mutated, spread over a few files. */
export const mutatedRepo: fc.Arbitrary<Record<string, string>> = fc
  .record({
    docs: fc.subarray(
      BASE.map((_, i) => i),
      { minLength: 1 },
    ),
    mutations: fc.array(objectMutation, { maxLength: 6 }),
    files: fc.integer({ min: 1, max: 3 }),
    workload: fc.boolean(),
  })
  .map(({ docs, mutations, files, workload }) => {
    const objs = docs.map((i) => structuredClone(BASE[i]!) as Json);
    // A workload shares a file with watched kinds, as in real repositories; mutations reach it too.
    if (workload) objs.push(structuredClone(WORKLOAD) as Json);
    for (const [i, m] of mutations.entries()) applyObjectMutation(objs[i % objs.length]!, m);
    const out: Record<string, string> = {};
    objs.forEach((o, i) => {
      const file = `m/f${i % files}.yaml`;
      out[file] = out[file] === undefined ? stringify(o) : `${out[file]}---\n${stringify(o)}`;
    });
    return out;
  });

export type TextMutation =
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'duplicate' }
  | { op: 'crlf' };

const oddText = fc.oneof(
  fc.constantFrom(
    '\t',
    '  ',
    '\u00a0',
    '\u2028',
    '\u0085',
    '\uFEFF',
    'é',
    '😀',
    '\u0000',
    '\r',
    '\n---\n',
    '\n...\n',
  ),
  fc.constantFrom(
    ':',
    '- ',
    '{',
    '}',
    '[',
    ']',
    '&a ',
    '*a',
    '!!binary ',
    '%YAML 1.2\n',
    '"',
    "'",
    '#',
    '|',
    '>',
    '? ',
  ),
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a Flux placeholder, not a template literal
  fc.constantFrom('{{ .Values.x }}', '${VAR}', 'ServiceGroup', 'LoadBalancer', 'kind: List\nitems:\n'),
  fc.string({ maxLength: 8, unit: 'binary' }),
);

export const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: oddText }),
  fc.constant({ op: 'duplicate' as const }),
  fc.constant({ op: 'crlf' as const }),
);

export function applyTextMutation(text: string, m: TextMutation): string {
  const at = text.length === 0 ? 0 : ('at' in m ? m.at : 0) % (text.length + 1);
  switch (m.op) {
    case 'truncate':
      return text.slice(0, at);
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'duplicate':
      return `${text}\n---\n${text}`;
    case 'crlf':
      return text.replace(/\n/g, '\r\n');
  }
}

export const textMutatedRepo: fc.Arbitrary<Record<string, string>> = fc
  .tuple(mutatedRepo, fc.array(textMutation, { minLength: 1, maxLength: 4 }))
  .map(([repo, mutations]) => {
    const out: Record<string, string> = {};
    const names = Object.keys(repo);
    for (const name of names) out[name] = repo[name]!;
    mutations.forEach((m, i) => {
      const name = names[i % names.length]!;
      out[name] = applyTextMutation(out[name]!, m);
    });
    return out;
  });
