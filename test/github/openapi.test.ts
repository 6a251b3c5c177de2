import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateRequest } from '../openapi.ts';

const RUNS = 'https://api.github.com/repos/o/r/check-runs';

describe('the OpenAPI request check', () => {
  it('accepts a well-formed check run creation', () => {
    // Arrange / Act
    const errors = validateRequest({
      method: 'POST',
      url: RUNS,
      body: { name: 'lbguard', head_sha: 'a'.repeat(40), status: 'in_progress' },
    });

    // Assert
    expect(errors).toEqual([]);
  });

  it('rejects a missing required field, a bad enum, an unknown field and an over-long summary', () => {
    // Arrange
    const body = {
      name: 'lbguard',
      status: 'done',
      colour: 'red',
      output: { title: 't', summary: 'x'.repeat(65_536) },
    };

    // Act
    const errors = validateRequest({ method: 'POST', url: RUNS, body });

    // Assert
    expect(errors).toEqual([
      'POST /repos/o/r/check-runs (checks/create): body.head_sha: required',
      'POST /repos/o/r/check-runs (checks/create): body.status: "done" is not one of queued, in_progress, completed',
      'POST /repos/o/r/check-runs (checks/create): body.colour: not a field of this endpoint',
      'POST /repos/o/r/check-runs (checks/create): body.output.summary: longer than 65535',
    ]);
  });

  it('rejects an unknown path, a wrong method, a bad query value and more than 50 annotations', () => {
    // Arrange
    const annotation = {
      path: 'a.yaml',
      start_line: 1,
      end_line: 1,
      annotation_level: 'failure',
      message: 'm',
    };

    // Act
    const errors = [
      ...validateRequest({ method: 'GET', url: 'https://api.github.com/repos/o/r/no-such-thing/1' }),
      ...validateRequest({ method: 'DELETE', url: `${RUNS}/1` }),
      ...validateRequest({
        method: 'GET',
        url: 'https://api.github.com/repos/o/r/commits/abc/check-runs?filter=newest',
      }),
      ...validateRequest({
        method: 'PATCH',
        url: `${RUNS}/1`,
        body: { output: { title: 't', summary: 's', annotations: Array(51).fill(annotation) } },
      }),
    ];

    // Assert
    expect(errors).toEqual([
      "GET /repos/o/r/no-such-thing/1: no such path in GitHub's OpenAPI description",
      'DELETE /repos/o/r/check-runs/1: /repos/{owner}/{repo}/check-runs/{check_run_id} has no DELETE',
      'GET /repos/o/r/commits/abc/check-runs (checks/list-for-ref): query.filter: "newest" is not one of latest, all',
      'PATCH /repos/o/r/check-runs/1 (checks/update): body.output.annotations: more than 50 items',
    ]);
  });

  it('enforces the annotation limits GitHub documents in prose', () => {
    // Arrange
    const annotation = {
      path: 'a.yaml',
      start_line: 1,
      end_line: 2,
      start_column: 3,
      annotation_level: 'warning',
      title: 't'.repeat(256),
      message: 'm'.repeat(64 * 1024 + 1),
    };

    // Act
    const errors = validateRequest({
      method: 'PATCH',
      url: `${RUNS}/1`,
      body: { output: { title: 't', summary: 's', annotations: [annotation] } },
    });

    // Assert
    expect(errors).toEqual([
      'PATCH /repos/o/r/check-runs/1 (checks/update): body.output.annotations[0].title is over 255 characters',
      'PATCH /repos/o/r/check-runs/1 (checks/update): body.output.annotations[0].message is over 64 KB',
      'PATCH /repos/o/r/check-runs/1 (checks/update): body.output.annotations[0]: columns are only allowed when start_line equals end_line',
    ]);
  });
});

describe('coverage of the OpenAPI check', () => {
  it('has every test that fakes GitHub go through the validating fake (test/github/fake.ts)', () => {
    // Arrange: a nock interceptor anywhere else would answer requests nobody validates.
    const root = join(import.meta.dirname, '..');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(root, f));

    // Act
    const bypassing = files
      .filter((f) => /\bnock\s*\(|\.intercept\s*\(/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f).split('\\').join('/'));

    // Assert
    expect(bypassing).toEqual(['github/fake.ts']);
  });
});
