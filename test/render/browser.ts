// Headless Chromium (Debian's package; .ci/run installs it) driven over the DevTools protocol with
// Node's own WebSocket: load a page, measure it in the page, save a screenshot.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = ['chromium', 'chromium-browser'].find((bin) => {
  try {
    execFileSync('which', [bin], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});

export type Page = {
  evaluate<T>(expression: string): Promise<T>;
  screenshot(path: string): Promise<void>;
  close(): void;
};

/** Opens `html` at a fixed viewport; the caller closes it. */
export async function openPage(html: string, width = 1000, height = 900): Promise<Page> {
  const dir = mkdtempSync(join(tmpdir(), 'lbguard-chromium-'));
  const file = join(dir, 'page.html');
  writeFileSync(file, html);
  const child: ChildProcess = spawn(
    CHROMIUM!,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      `--user-data-dir=${dir}/profile`,
      '--remote-debugging-port=0',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const browserWs = await new Promise<string>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`chromium did not start: ${err}`)), 60_000);
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      const m = err.match(/DevTools listening on (ws:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`chromium exited ${code}: ${err}`)));
  });
  const port = new URL(browserWs).port;
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
    type: string;
    webSocketDebuggerUrl: string;
  }[];
  const ws = new WebSocket(targets.find((t) => t.type === 'page')!.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  let nextId = 1;
  const pending = new Map<number, (r: { result?: unknown; error?: { message: string } }) => void>();
  const events = new Map<string, () => void>();
  ws.onmessage = (m) => {
    const msg = JSON.parse(String(m.data)) as {
      id?: number;
      method?: string;
      result?: unknown;
      error?: { message: string };
    };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg);
    else if (msg.method) events.get(msg.method)?.();
  };
  const send = (method: string, params: object = {}) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, (r) =>
        r.error
          ? reject(new Error(`${method}: ${r.error.message}`))
          : resolve(r.result as Record<string, unknown>),
      );
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send('Page.enable');
  await send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
  const loaded = new Promise<void>((resolve) => events.set('Page.loadEventFired', resolve));
  await send('Page.navigate', { url: `file://${file}` });
  await loaded;
  return {
    async evaluate<T>(expression: string) {
      const r = await send('Runtime.evaluate', { expression, returnByValue: true });
      return (r.result as { value: T }).value;
    },
    async screenshot(path) {
      const r = await send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: false });
      writeFileSync(path, Buffer.from(r.data as string, 'base64'));
    },
    close() {
      ws.close();
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
