// Documents of one kind named by some reference (the ConfigMaps a Flux substituteFrom or valuesFrom
// names, the OCIRepository a HelmRelease's chartRef names), read from the files without making the
// kind a watch word: a repository holds hundreds of ConfigMaps (Grafana dashboards among them) and
// of OCIRepositories, and parsing them all is slow. A kustomize replacement reads any kind this way.
import { LineCounter, parseDocument } from 'yaml';
import { SourceDoc } from '../manifests/document.ts';
import { isRecord, type SourceFile, scanDocuments, stringEntries } from '../manifests/load.ts';
import { type Resource, splitApiVersion } from '../manifests/resource.ts';
import { mayHaveAnchors, selfAlias, yamlOptions } from '../manifests/yaml.ts';
import type { Other } from './flux.ts';

const kindLine = (kind: string) =>
  new RegExp(`^kind:[ \\t]*["']?${kind.replace(/[^\w]/g, '')}["']?[ \\t]*(?:#.*)?$`, 'm');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Documents of `files` of `kind` mentioning one of `names`; only those are parsed. */
export function readNamedDocuments(
  files: readonly SourceFile[],
  kind: string,
  names: readonly string[],
  maxBytes: number,
): Other[] {
  if (names.length === 0) return [];
  const isKind = kindLine(kind);
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // The same shape as the loader's scanner: document markers, then the words a document must mention.
  const pattern = new RegExp(`^(?:---|\\.\\.\\.)(?=[ \\t\\r\\n]|$)|\\b(?:${escaped.join('|')})\\b`, 'gm');
  const out: Other[] = [];
  for (const f of files) {
    if (f.bytes.byteLength > maxBytes) continue;
    const b = Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
    // The names first: they are rarer than the kind's word, so most files cost one search.
    if (!names.some((n) => b.includes(n)) || !b.includes(kind)) continue;
    let text: string;
    try {
      text = utf8.decode(f.bytes);
    } catch {
      continue;
    }
    for (const chunk of scanDocuments(text, pattern).watched) {
      const source = text.slice(chunk.from, chunk.to);
      if (!isKind.test(source)) continue;
      const lc = new LineCounter();
      const doc = parseDocument(source, yamlOptions(lc));
      if (doc.errors.length > 0 || (mayHaveAnchors(source) && selfAlias(doc))) continue;
      let data: unknown;
      try {
        data = doc.toJS({ maxAliasCount: 100 });
      } catch {
        continue;
      }
      if (isRecord(data)) out.push({ doc: new SourceDoc(f.path, doc, lc, chunk.lineOffset, source), data });
    }
  }
  return out;
}

/** Any document as a resource (a replacement may read a ConfigMap, which lbguard does not watch). */
export function otherResource(o: Other): Resource | undefined {
  const { kind, apiVersion } = o.data;
  if (typeof kind !== 'string' || typeof apiVersion !== 'string') return undefined;
  const meta = isRecord(o.data.metadata) ? o.data.metadata : {};
  const r: Resource = {
    kind,
    apiVersion,
    ...splitApiVersion(apiVersion),
    name: typeof meta.name === 'string' ? meta.name : '',
    file: o.doc.file,
    doc: o.doc,
    data: o.data,
    annotations: stringEntries(meta.annotations),
  };
  if (typeof meta.namespace === 'string') r.namespace = meta.namespace;
  return r;
}
