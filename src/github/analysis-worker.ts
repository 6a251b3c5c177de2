// The worker side of isolate.ts: one analysis per worker, files in, the Analysis out.
import { parentPort, workerData } from 'node:worker_threads';
import { type AnalyzeOptions, analyze } from '../engine.ts';
import type { SourceFile } from '../manifests/load.ts';

/**
 * Data only, as structured clone can carry it: parsed YAML documents and locators (class
 * instances holding parser options and functions) stay behind; what the renderers read from a
 * resource (kind, name, file, data) comes along. Shared and cyclic references stay shared.
 */
function plain(v: unknown, seen = new Map<object, unknown>()): unknown {
  if (typeof v === 'function') return undefined;
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return v;
  if (seen.has(v)) return seen.get(v);
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    seen.set(v, out);
    for (const x of v) out.push(plain(x, seen));
    return out;
  }
  if (v instanceof Map) {
    const out = new Map();
    seen.set(v, out);
    for (const [k, x] of v) out.set(plain(k, seen), plain(x, seen));
    return out;
  }
  if (v instanceof Set) {
    const out = new Set();
    seen.set(v, out);
    for (const x of v) out.add(plain(x, seen));
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const out: Record<string, unknown> = {};
  seen.set(v, out);
  for (const [k, x] of Object.entries(v)) {
    const p = plain(x, seen);
    if (p !== undefined) out[k] = p;
  }
  return out;
}

const { files, options } = workerData as { files: SourceFile[]; options: AnalyzeOptions };
parentPort?.postMessage(plain(analyze(files, options)));
