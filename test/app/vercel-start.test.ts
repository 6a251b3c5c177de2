// A function instance whose first start failed (credentials not set yet) must not keep failing:
// the next delivery starts Probot again.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PRIVATE_KEY, SECRET } from './harness.ts';

const ping = () => {
  const body = JSON.stringify({ zen: 'Design for failure.', hook_id: 1 });
  return new Request('http://localhost/api/github/webhooks', {
    method: 'POST',
    headers: {
      'x-github-event': 'ping',
      'x-github-delivery': 'd-1',
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    },
    body,
  });
};

describe('the Vercel function starting up', () => {
  it('retries a failed start on the next delivery', async () => {
    // Arrange: no credentials at first.
    for (const k of ['APP_ID', 'PRIVATE_KEY', 'WEBHOOK_SECRET']) delete process.env[k];
    process.env.LOG_LEVEL = 'fatal';
    const { POST } = await import('../../src/github/vercel.ts');

    // Act
    const first = await POST(ping()).then(
      (r) => r.status,
      () => 'threw',
    );
    Object.assign(process.env, { APP_ID: '1', PRIVATE_KEY, WEBHOOK_SECRET: SECRET });
    const second = await POST(ping());

    // Assert
    expect(first).toBe('threw');
    expect(second.status).toBe(202);
  });
});
