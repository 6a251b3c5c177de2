// Reading kustomization.yaml files without the `yaml` parser. A Flux repository has one in almost
// every folder (tens of thousands in a platform repository) and all lbguard needs from each is its
// kind and its `resources`/`components`/`bases` lists; a full parse of each costs more than the
// rest of the analysis. Files in the plain shape kustomize itself writes are read line by line;
// anything else (anchors, tags, multi-line flow lists, several documents) goes to the parser.
import { parse } from 'yaml';
import { isRecord } from '../manifests/load.ts';
import { isKustomizeConfig } from './flux.ts';
import { type KustomizeRefs, kustomizeRefs } from './kustomize.ts';

const LIST_KEYS = new Set(['resources', 'components', 'bases']);
const KEY = /^[A-Za-z_][\w.-]*$/;
/** A value the line reader does not take as plain text: anchors, aliases, tags, block or flow starts. */
const SPECIAL = /^[&*!|>?%@`{[]/;

/** The refs of a kustomization file, or undefined when it is not a kustomize config (or does not parse). */
export function readKustomizeRefs(text: string): KustomizeRefs | undefined {
  const quick = lineRead(text);
  if (quick !== 'unusual') return quick;
  let data: unknown;
  try {
    data = parse(text, { maxAliasCount: 100, logLevel: 'silent' });
  } catch {
    return undefined; // not ours to judge: it names no watched kind
  }
  return isRecord(data) && isKustomizeConfig(data) ? kustomizeRefs(data) : undefined;
}

function unquote(v: string): string | 'unusual' {
  const q = v[0];
  if (q === "'" || q === '"') {
    const close = v.indexOf(q, 1);
    const rest = close < 0 ? '' : v.slice(close + 1).trim();
    if (close < 0 || (rest !== '' && !rest.startsWith('#'))) return 'unusual';
    const inner = v.slice(1, close);
    // Escapes and doubled quotes: the parser knows them.
    return inner.includes('\\') || v[close + 1] === q ? 'unusual' : inner;
  }
  const hash = v.indexOf(' #');
  const s = (hash < 0 ? v : v.slice(0, hash)).trimEnd();
  return SPECIAL.test(s) ? 'unusual' : s;
}

/**
 * Line-by-line reading of a kustomization in block style; 'unusual' hands it to the parser. Only
 * the lines that matter are looked at closely: top-level keys, and the items of the three lists.
 */
export function lineRead(text: string): KustomizeRefs | undefined | 'unusual' {
  let kind: string | undefined;
  let apiVersion: string | undefined;
  const refs: string[] = [];
  const components: string[] = [];
  let inList = false; // reading the items of resources/components/bases
  let inComponents = false;
  let started = false;
  for (let pos = 0; pos < text.length; ) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let line = text.slice(pos, end);
    pos = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    let i = 0;
    while (line.charCodeAt(i) === 32) i++;
    if (i === line.length || line[i] === '#') continue;
    if (line[i] === '\t') return 'unusual';
    if (
      i === 0 &&
      (line.startsWith('---') || line.startsWith('...')) &&
      (line.length === 3 || line[3] === ' ')
    ) {
      if (started || line.startsWith('...')) return 'unusual'; // several documents
      continue;
    }
    started = true;
    if (i === 0 && !line.startsWith('- ') && line !== '-') {
      const colon = line.indexOf(':');
      if (colon < 0 || !KEY.test(line.slice(0, colon))) return 'unusual';
      if (colon + 1 < line.length && line[colon + 1] !== ' ') return 'unusual';
      const key = line.slice(0, colon);
      const value = line.slice(colon + 1).trim();
      inList = false;
      inComponents = key === 'components';
      if (LIST_KEYS.has(key)) {
        if (value === '' || value.startsWith('#')) inList = true;
        else if (value.startsWith('[') && value.endsWith(']')) {
          for (const item of value.slice(1, -1).split(',')) {
            const v = unquote(item.trim());
            if (v === 'unusual') return 'unusual';
            if (v) refs.push(v);
            if (v && inComponents) components.push(v);
          }
        } else return 'unusual';
      } else if (key === 'kind' || key === 'apiVersion') {
        const v = unquote(value);
        if (v === 'unusual') return 'unusual';
        if (key === 'kind') kind = v;
        else apiVersion = v;
      }
      continue;
    }
    if (!inList) continue; // inside some other key's value
    if (line[i] !== '-' || (line[i + 1] !== ' ' && i + 1 < line.length)) return 'unusual';
    const v = unquote(line.slice(i + 1).trim());
    if (v === 'unusual' || v === '' || v.includes(': ')) return 'unusual'; // a map item: not a plain ref
    refs.push(v);
    if (inComponents) components.push(v);
  }
  const data: Record<string, unknown> = {};
  if (kind !== undefined) data.kind = kind;
  if (apiVersion !== undefined) data.apiVersion = apiVersion;
  return isKustomizeConfig(data) ? { refs, components } : undefined;
}
