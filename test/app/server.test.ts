// `npm start` as a real process with test credentials, answering a signed webhook.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIVATE_KEY, SECRET } from './harness.ts';

const ROOT = join(import.meta.dirname, '..', '..');
let child: ChildProcess;
let base: string;

beforeAll(async () => {
  child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    // Its own process group, so the test can stop npm and the server it started together.
    detached: true,
    env: {
      PATH: process.env.PATH,
      APP_ID: '1',
      PRIVATE_KEY,
      WEBHOOK_SECRET: SECRET,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  base = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = out.match(/"port":(\d+)[^\n]*lbguard App listening/);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
});
afterAll(() => {
  if (child.pid) process.kill(-child.pid);
});

const post = (body: string, signature: string) =>
  fetch(`${base}/api/github/webhooks`, {
    method: 'POST',
    headers: { 'x-github-event': 'ping', 'x-github-delivery': 'd-1', 'x-hub-signature-256': signature },
    body,
  });

describe('npm start', () => {
  it('answers a signed webhook with 202 and an unsigned one with 401', async () => {
    // Arrange
    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;

    // Act
    const good = await post(body, signature);
    const bad = await post(body, 'sha256=00');
    const health = await fetch(`${base}/healthz`);

    // Assert
    expect(good.status).toBe(202);
    expect(bad.status).toBe(401);
    expect(health.status).toBe(200);
  });
});
