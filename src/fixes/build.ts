// Small constructors rules use to attach fixes, so every rule writes fixes the same way.

import type { Fix, FixOp, NewDocument, Scalar } from '../findings.ts';
import type { Path } from '../manifests/document.ts';
import { type Resource, refOf, writtenAsManifest } from '../manifests/resource.ts';

export const set = (path: Path, value: Scalar): FixOp => ({ op: 'set', path, value });
export const remove = (path: Path): FixOp => ({ op: 'delete', path });
export const append = (path: Path, value: unknown): FixOp => ({ op: 'append', path, value });

/**
 * Whether the file's text at `path` is the resource's own value: not a resource lbguard built
 * from chart values (its kind is not written in the file), and not a `${VAR}` that Flux
 * substitutes (rewriting it would replace the variable with its value for one cluster).
 */
export function editable(res: Resource, path: Path): boolean {
  if (!writtenAsManifest(res)) return false;
  return !(res.doc.source(path) ?? '').includes('${');
}

/** An edit of one resource, or undefined when its text cannot safely be edited (see `editable`). */
export function editFix(title: string, res: Resource, ...ops: FixOp[]): Fix | undefined {
  if (!ops.every((o) => editable(res, o.path))) return undefined;
  return {
    title,
    changes: [{ kind: 'edit', file: res.file, resource: refOf(res), line: res.doc.span([]).line, ops }],
  };
}

export type CalicoApiVersion = 'projectcalico.org/v3' | 'crd.projectcalico.org/v1';

/** A disabled IPPool that makes BIRD export a PureLB range without letting pods use it. */
export function coveringIpPool(
  file: string,
  apiVersion: CalicoApiVersion,
  name: string,
  cidr: string,
): NewDocument {
  return {
    kind: 'document',
    file,
    content: {
      apiVersion,
      kind: 'IPPool',
      metadata: { name },
      spec: { cidr, disabled: true, ipipMode: 'Never', vxlanMode: 'Never', natOutgoing: false },
    },
  };
}

/** A DNS-1123 name for a generated resource, from a CIDR ("10.50.0.0/24" -> "purelb-10-50-0-0-24"). */
export const nameForCidr = (prefix: string, cidr: string): string =>
  `${prefix}-${cidr
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')}`
    .slice(0, 63)
    .replace(/-+$/, '');
