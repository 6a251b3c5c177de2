// The App's analyses run in worker threads with a heap limit: a pull request that exhausts memory
// or blocks for seconds takes down only its own worker. Its run ends neutral with the reason, the
// server keeps answering webhooks, and other reviews go on. A few workers at a time, the rest wait.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Analysis, AnalyzeOptions } from '../engine.ts';
import { analyze } from '../engine.ts';
import type { SourceFile } from '../manifests/load.ts';

/** Analyses files to findings, somewhere: in this thread or in a worker. */
export type Analyzer = (
  files: readonly SourceFile[],
  options: AnalyzeOptions,
  signal?: AbortSignal,
) => Promise<Analysis>;

/** In this thread: the CLI, token mode, and Vercel (where each invocation is its own process). */
export const inProcess: Analyzer = async (files, options) => analyze(files, options);

export class AnalysisFailed extends Error {}

export type IsolateOptions = {
  /** V8 old-generation limit per worker (MB); see docs/self-hosting.md for how it was sized. */
  maxHeapMb: number;
  /** Workers at once; more analyses wait their turn. */
  concurrency: number;
  /** A worker still busy after this long is stopped (the review's own limit ends the run). */
  timeoutMs?: number;
};

export const DEFAULT_ISOLATE: IsolateOptions = {
  maxHeapMb: 1024,
  concurrency: Math.max(1, Math.min(4, availableParallelism())),
};

const WORKER = new URL(
  `./analysis-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

export function isolated(opts: IsolateOptions = DEFAULT_ISOLATE): Analyzer {
  let running = 0;
  const waiting: (() => void)[] = [];
  const slot = async () => {
    if (running >= opts.concurrency) await new Promise<void>((go) => waiting.push(go));
    running++;
  };
  const release = () => {
    running--;
    waiting.shift()?.();
  };
  return async (files, options, signal) => {
    await slot();
    try {
      signal?.throwIfAborted();
      return await inWorker(files, options, opts, signal);
    } finally {
      release();
    }
  };
}

function inWorker(
  files: readonly SourceFile[],
  options: AnalyzeOptions,
  opts: IsolateOptions,
  signal: AbortSignal | undefined,
): Promise<Analysis> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      workerData: { files, options },
      resourceLimits: { maxOldGenerationSizeMb: opts.maxHeapMb, maxYoungGenerationSizeMb: 64 },
      // The worker's console goes nowhere: the App logs through Probot.
      stdout: true,
      stderr: true,
    });
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
    };
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          settle(() =>
            reject(
              new AnalysisFailed(`the analysis took longer than ${Math.round(opts.timeoutMs! / 1000)} s`),
            ),
          );
          void worker.terminate();
        }, opts.timeoutMs)
      : undefined;
    timer?.unref();
    signal?.addEventListener(
      'abort',
      () => {
        settle(() => reject(new AnalysisFailed('the analysis was stopped: the review gave up')));
        void worker.terminate();
      },
      { once: true },
    );
    worker.once('message', (a: Analysis) => {
      settle(() => resolve(a));
      void worker.terminate();
    });
    worker.once('error', (e: Error & { code?: string }) =>
      settle(() =>
        reject(
          new AnalysisFailed(
            e.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? `the analysis ran out of memory (over ${opts.maxHeapMb} MB); the repository's manifests are too dense for this server's limits`
              : `the analysis failed: ${e.message || String(e)}`,
          ),
        ),
      ),
    );
    worker.once('exit', (code) =>
      settle(() => reject(new AnalysisFailed(`the analysis stopped unexpectedly (exit ${code})`))),
    );
  });
}
