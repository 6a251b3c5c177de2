// Applies fixes as minimal text edits located through the `yaml` Document (node ranges), so
// everything the fix does not touch (comments, quoting, key order, indentation) stays byte for
// byte. Each edit is verified by re-parsing; an edit the text path cannot make safely (flow
// collections, odd layouts) falls back to the Document API.
import { isDeepStrictEqual } from 'node:util';
import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseAllDocuments,
  stringify,
  type YAMLMap,
  type YAMLSeq,
  type Scalar as YamlScalar,
} from 'yaml';
import type { FixOp, NewDocument, ResourceEdit, ResourceRef, Scalar } from '../findings.ts';
import type { Path } from '../manifests/document.ts';
import { YAML_OPTIONS } from '../manifests/yaml.ts';

type Doc = Document.Parsed;

const lineStart = (t: string, i: number) => t.lastIndexOf('\n', i - 1) + 1;
const lineEnd = (t: string, i: number) => {
  const n = t.indexOf('\n', i);
  return n < 0 ? t.length : n;
};
const column = (t: string, i: number) => i - lineStart(t, i);

const matches = (d: Doc, ref: ResourceRef) =>
  d.errors.length === 0 &&
  d.get('kind') === ref.kind &&
  d.getIn(['metadata', 'name']) === ref.name &&
  (ref.namespace === undefined || d.getIn(['metadata', 'namespace']) === ref.namespace);

/** Which document an edit addresses: the `nth` (from 0) of the file's documents with its kind and name. */
type Target = { ref: ResourceRef; nth: number };

function findDoc(docs: Doc[], t: Target): Doc | undefined {
  let seen = 0;
  for (const d of docs) if (matches(d, t.ref) && seen++ === t.nth) return d;
  return undefined;
}

const parseAll = (text: string): Doc[] => parseAllDocuments(text, YAML_OPTIONS) as Doc[];

/**
 * The edit's target in `text` (the file as read): the document with its kind and name whose
 * content starts on `edit.line`, counted among the file's documents of that kind and name.
 * Documents are only ever appended, so the count holds while earlier edits shift lines.
 */
export function targetOf(text: string, edit: Pick<ResourceEdit, 'resource' | 'line'>): Target {
  if (edit.line === undefined) return { ref: edit.resource, nth: 0 };
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { ...YAML_OPTIONS, lineCounter: lc }) as Doc[];
  let nth = 0;
  for (const d of docs) {
    if (!matches(d, edit.resource)) continue;
    const start = (d.contents as Node | null)?.range?.[0];
    if (start !== undefined && lc.linePos(start).line >= edit.line) break;
    nth++;
  }
  return { ref: edit.resource, nth };
}

/** The current value at `path`, as plain data. */
function valueAt(text: string, t: Target, path: Path): unknown {
  const doc = findDoc(parseAll(text), t);
  const node = doc?.getIn(path, true) as Node | undefined;
  return node && typeof (node as { toJSON?: unknown }).toJSON === 'function'
    ? (node as YamlScalar).toJSON()
    : node;
}

function formatScalar(value: Scalar, like?: YamlScalar): string {
  if (typeof value !== 'string') return String(value);
  if (like?.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (like?.type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  return stringify(value).trimEnd();
}

/** Block YAML for a value placed at `indent` (first line is not indented: the caller writes it after a key or dash). */
function block(value: unknown, indent: number, seqIndent: boolean): string {
  const text = stringify(value, { indentSeq: seqIndent }).trimEnd();
  return text
    .split('\n')
    .map((l, i) => (i === 0 ? l : ' '.repeat(indent) + l))
    .join('\n');
}

/** Whether this document writes `key:\n  - item` (true) or `key:\n- item` (false). */
function seqIndentStyle(text: string, doc: Doc): boolean {
  let style: boolean | undefined;
  const visit = (n: unknown) => {
    if (style !== undefined) return;
    if (isMap(n)) {
      for (const p of n.items) {
        if (isSeq(p.value) && !p.value.flow && p.value.items[0] && isScalar(p.key) && p.key.range) {
          const first = p.value.items[0] as Node;
          const dash = text.lastIndexOf('-', first.range![0]);
          style = column(text, dash) > column(text, p.key.range[0]);
          return;
        }
        visit(p.value);
      }
    } else if (isSeq(n)) n.items.forEach(visit);
  };
  visit(doc.contents);
  return style ?? true;
}

type Step = { node: Node | null; pair?: Pair<Node, Node | null>; parent?: Node };

function walk(doc: Doc, path: Path): { steps: Step[]; complete: boolean } {
  const steps: Step[] = [{ node: doc.contents as Node | null }];
  for (const seg of path) {
    const cur = steps.at(-1)!.node;
    if (isMap(cur)) {
      const pair = (cur as YAMLMap<Node, Node | null>).items.find(
        (p) => isScalar(p.key) && String(p.key.value) === String(seg),
      );
      if (!pair) return { steps, complete: false };
      steps.push({ node: pair.value, pair, parent: cur });
    } else if (isSeq(cur) && typeof seg === 'number' && seg < cur.items.length) {
      steps.push({ node: (cur as YAMLSeq<Node>).items[seg] ?? null, parent: cur });
    } else return { steps, complete: false };
  }
  return { steps, complete: true };
}

/** End offset of a pair's last line (before its newline). */
function pairEnd(text: string, pair: Pair<Node, Node | null>): number {
  const end = pair.value?.range?.[1] ?? (pair.key as Node).range![1];
  return lineEnd(text, Math.max(end - 1, 0));
}

/** Text for keys `rest` (nested) ending in `value`, written at `indent`. */
function nestedLines(
  rest: Path,
  value: unknown,
  indent: number,
  seqIndent: boolean,
  asList: boolean,
): string {
  const [key, ...more] = rest;
  const pad = ' '.repeat(indent);
  if (more.length > 0)
    return `${pad}${String(key)}:\n${nestedLines(more, value, indent + 2, seqIndent, asList)}`;
  if (asList) {
    const itemIndent = seqIndent ? indent + 2 : indent;
    return `${pad}${String(key)}:\n${' '.repeat(itemIndent)}- ${block(value, itemIndent + 2, seqIndent)}`;
  }
  if (typeof value === 'object' && value !== null)
    return `${pad}${String(key)}:\n${' '.repeat(indent + 2)}${block(value, indent + 2, seqIndent)}`;
  return `${pad}${String(key)}: ${formatScalar(value as Scalar)}`;
}

/** One op as a text splice, or undefined when the layout is not one the text path handles. */
function textEdit(text: string, doc: Doc, op: FixOp): string | undefined {
  const { steps, complete } = walk(doc, op.path);
  const seqIndent = seqIndentStyle(text, doc);
  const last = steps.at(-1)!;
  if (op.op === 'delete') {
    if (!complete || !last.pair || !isMap(last.parent) || (last.parent as YAMLMap).flow)
      return complete ? undefined : text;
    const from = lineStart(text, (last.pair.key as Node).range![0]);
    const to = pairEnd(text, last.pair);
    if ((last.parent as YAMLMap).items.length === 1) return undefined;
    return text.slice(0, from) + text.slice(Math.min(to + 1, text.length));
  }
  if (op.op === 'set' && complete) {
    if (!isScalar(last.node) || !last.node.range) return undefined;
    const [a, b] = last.node.range;
    return text.slice(0, a) + formatScalar(op.value, last.node) + text.slice(b);
  }
  if (op.op === 'append' && complete) {
    const seq = last.node;
    if (!isSeq(seq) || seq.flow || seq.items.length === 0) return undefined;
    if (seq.items.some((i) => isDeepStrictEqual((i as Node & { toJSON(): unknown }).toJSON(), op.value)))
      return text;
    const first = seq.items[0] as Node;
    const dashCol = column(text, text.lastIndexOf('-', first.range![0]));
    const lastItem = seq.items.at(-1) as Node;
    const at = lineEnd(text, Math.max(lastItem.range![1] - 1, 0));
    return `${text.slice(0, at)}\n${' '.repeat(dashCol)}- ${block(op.value, dashCol + 2, seqIndent)}${text.slice(at)}`;
  }
  // Missing keys: insert them under the deepest existing block map.
  const map = last.node;
  if (!isMap(map) || map.flow || map.items.length === 0) return undefined;
  const rest = op.path.slice(steps.length - 1);
  if (rest.some((s) => typeof s === 'number')) return undefined;
  const firstKey = (map.items[0] as Pair<Node, unknown>).key as Node;
  const indent = column(text, firstKey.range![0]);
  const at = pairEnd(text, map.items.at(-1) as Pair<Node, Node | null>);
  return `${text.slice(0, at)}\n${nestedLines(rest, op.value, indent, seqIndent, op.op === 'append')}${text.slice(at)}`;
}

/**
 * The Document API fallback. Only the edited document is re-serialised: the other documents of
 * the file keep their bytes, since the fallback normalises flow collections and spacing.
 */
function documentEdit(text: string, t: Target, op: FixOp): string {
  const docs = parseAll(text);
  const doc = findDoc(docs, t)!;
  applyOp(doc, op);
  // A document's text runs from where the previous one ended (its leading comments included).
  const i = docs.indexOf(doc);
  const start = i === 0 ? 0 : docs[i - 1]!.range[2];
  return text.slice(0, start) + doc.toString() + text.slice(doc.range[2]);
}

/** The op through the Document API: the fallback edit, and what any edit must come to. */
function applyOp(doc: Doc, op: FixOp): void {
  if (op.op === 'set') doc.setIn(op.path, op.value);
  else if (op.op === 'delete') doc.deleteIn(op.path);
  else {
    const cur = doc.getIn(op.path);
    if (!isSeq(cur)) doc.setIn(op.path, doc.createNode([op.value]));
    else if (!(cur.toJSON() as unknown[]).some((i) => isDeepStrictEqual(i, op.value)))
      cur.add(doc.createNode(op.value));
  }
}

/**
 * Whether `text` holds exactly what the op makes of `before`: every other value of the document
 * unchanged (a splice next to a block scalar must not change its final newline), and every other
 * document of the file too.
 */
function exact(text: string, before: Doc[], t: Target, op: FixOp): boolean {
  const after = parseAll(text);
  if (after.length !== before.length) return false;
  const target = findDoc(before, t);
  return before.every((d, i) => {
    const want = d === target ? withOp(d, op) : d.toJS();
    return isDeepStrictEqual(after[i]!.toJS(), want);
  });
}

function withOp(d: Doc, op: FixOp): unknown {
  const copy = d.clone() as Doc;
  applyOp(copy, op);
  return copy.toJS();
}

function satisfied(text: string, t: Target, op: FixOp): boolean {
  const v = valueAt(text, t, op.path);
  if (op.op === 'set') return v === op.value;
  if (op.op === 'delete') return v === undefined;
  return Array.isArray(v) && v.some((i) => isDeepStrictEqual(i, op.value));
}

export class FixError extends Error {}

export function applyEdit(text: string, edit: ResourceEdit, target?: Target): string {
  const t = target ?? targetOf(text, edit);
  return keepingLayout(text, (body) => {
    let out = body;
    for (const op of edit.ops) {
      if (satisfied(out, t, op)) continue; // idempotent
      const docs = parseAll(out);
      const doc = findDoc(docs, t);
      if (!doc)
        throw new FixError(`${edit.file}: ${edit.resource.kind} ${edit.resource.name} is not there any more`);
      const spliced = textEdit(out, doc, op);
      out = spliced !== undefined && exact(spliced, docs, t, op) ? spliced : documentEdit(out, t, op);
      if (!satisfied(out, t, op) || !exact(out, docs, t, op))
        throw new FixError(`${edit.file}: could not apply ${op.op} ${op.path.join('.')}`);
    }
    return out;
  });
}

/**
 * Runs `edit` on the text with LF line ends and no byte-order mark, then puts both back: a CRLF
 * file stays CRLF throughout (not CRLF with the fix's lines in LF), and a BOM stays.
 */
export function keepingLayout(text: string, edit: (lf: string) => string): string {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = bom ? text.slice(1) : text;
  const crlf = body.includes('\r\n') && !/(?:^|[^\r])\n/.test(body);
  const out = edit(crlf ? body.replace(/\r\n/g, '\n') : body);
  return bom + (crlf ? out.replace(/\n/g, '\r\n') : out);
}

export function appendDocument(text: string | undefined, change: NewDocument): string {
  if (text === undefined || text.trim() === '') return stringify(change.content, { indentSeq: true });
  return keepingLayout(text, (body) => appendTo(body, change));
}

function appendTo(text: string, change: NewDocument): string {
  // A file of comments only has no document to take the list style from.
  const docs = parseAll(text);
  const first = docs[0];
  const body = stringify(change.content, { indentSeq: first ? seqIndentStyle(text, first) : true });
  // Already there (second run): nothing to add.
  const kind = change.content.kind;
  const name = (change.content.metadata as { name?: unknown } | undefined)?.name;
  if (docs.some((d) => d.get('kind') === kind && d.getIn(['metadata', 'name']) === name)) {
    return text;
  }
  return `${text}${text.endsWith('\n') ? '' : '\n'}---\n${body}`;
}
