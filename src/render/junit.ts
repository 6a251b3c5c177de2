// JUnit XML, the test report every CI reads (GitLab's test reports, Jenkins, Azure): one test case
// per finding, new ones first. New errors and warnings are failures; notices and pre-existing
// findings are skipped cases, so the report agrees with what fails the run by default.
import type { Analysis } from '../engine.ts';
import type { Finding } from '../findings.ts';
import { joinPrefix, notReadText, plural } from './shared.ts';

export type JunitOptions = { pathPrefix?: string };

const xml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

/** Characters XML 1.0 forbids even escaped (control characters from a hostile manifest). */
const legal = (s: string) => s.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');

function testCase(f: Finding, prefix: string): string {
  const file = joinPrefix(prefix, f.file);
  const name = xml(legal(`${f.rule} ${file}:${f.line}:${f.column}`));
  const head = `    <testcase name="${name}" classname="${xml(legal(file))}" file="${xml(legal(file))}" line="${f.line}">`;
  const text = xml(
    legal(
      [
        f.message,
        ...(f.related ?? []).map((r) => `related: ${r.file}:${r.line}:${r.column} ${r.message}`),
      ].join('\n'),
    ),
  );
  if (f.state === 'existing')
    return `${head}\n      <skipped message="pre-existing: ${xml(legal(f.message))}"/>\n    </testcase>`;
  if (f.severity === 'notice')
    return `${head}\n      <skipped message="notice: ${xml(legal(f.message))}"/>\n    </testcase>`;
  return `${head}\n      <failure type="${f.severity}" message="${xml(legal(f.message))}">${text}</failure>\n    </testcase>`;
}

export function renderJunit(a: Pick<Analysis, 'findings' | 'summary'>, opts: JunitOptions = {}): string {
  const prefix = opts.pathPrefix ?? '';
  const ordered = [
    ...a.findings.filter((f) => f.state !== 'existing'),
    ...a.findings.filter((f) => f.state === 'existing'),
  ];
  const failures = ordered.filter((f) => f.state !== 'existing' && f.severity !== 'notice').length;
  // A clean run is one passing case, so "no tests" never reads as "not run"; inputs not read are one
  // skipped case, so a report of only passes never hides them.
  const unread = notReadText(a.summary.gaps);
  const cases = ordered.map((f) => testCase(f, prefix));
  if (unread) {
    cases.push(
      `    <testcase name="lbguard: ${xml(unread)}" classname="lbguard">\n      <skipped message="${xml(`${unread}; the findings cover only what was read`)}"/>\n    </testcase>`,
    );
  } else if (!ordered.length) {
    cases.push(
      `    <testcase name="lbguard: ${plural(a.summary.files, 'file')}, no findings" classname="lbguard"/>`,
    );
  }
  const tests = cases.length;
  const skipped = ordered.length - failures + (unread ? 1 : 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="lbguard" tests="${tests}" failures="${failures}" skipped="${skipped}">`,
    `  <testsuite name="lbguard" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
