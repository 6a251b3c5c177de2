// `lbguard rules` lists the catalog; `lbguard explain RULE` prints one rule's page. Both read the
// rule registry, the same data docs/rules.md is generated from.
import { RULES, RULES_BY_ID } from '../checks/index.ts';
import type { Rule } from '../checks/registry.ts';
import { painter, wrap } from '../render/style.ts';
import { ruleHelpUri } from '../render/tool.ts';
import { nearest } from '../suggest.ts';
import type { ExplainInput, RulesInput } from './commands.ts';
import { type Io, useColor } from './main.ts';

const asJson = (r: Rule) => ({
  id: r.id,
  family: r.family,
  severity: r.severity,
  title: r.title,
  rationale: r.rationale,
  remediation: r.remediation,
  evidence: r.evidence,
  fix: r.fix ?? null,
  needsCalico: r.needsCalico ?? false,
  helpUri: ruleHelpUri(r.id),
});

export async function rules({ values }: RulesInput, io: Io): Promise<number> {
  if (values.format === 'json') {
    io.out(`${JSON.stringify({ version: 1, rules: RULES.map(asJson) }, null, 2)}\n`);
    return 0;
  }
  const paint = painter(useColor(io));
  const width = Math.max(...RULES.map((r) => r.id.length));
  const indent = ' '.repeat(width + 11);
  const lines = RULES.map((r) => {
    const head = `${r.id.padEnd(width)}  ${paint(r.severity, r.severity.padEnd(7))}  `;
    return `${head}${wrap(`${r.title}${r.fix ? ' (fix)' : ''}`, io.columns, indent)}`;
  });
  lines.push('', `${RULES.length} rules. lbguard explain RULE shows one; (fix): lbguard fix can repair it.`);
  io.out(`${lines.join('\n')}\n`);
  return 0;
}

export async function explain({ positionals, values }: ExplainInput, io: Io): Promise<number> {
  const id = positionals[0]!;
  const rule = RULES_BY_ID.get(id);
  if (!rule) {
    const guess = nearest(id, RULES_BY_ID.keys());
    io.err(`lbguard: no rule "${id}"${guess ? ` (did you mean ${guess}?)` : ''}; lbguard rules lists them\n`);
    return 2;
  }
  if (values.format === 'json') {
    io.out(`${JSON.stringify(asJson(rule), null, 2)}\n`);
    return 0;
  }
  const paint = painter(useColor(io));
  const para = (label: string, text: string) =>
    `${paint('bold', label)}\n  ${wrap(text, io.columns, '  ')}\n`;
  const out = [
    `${paint('bold', rule.id)} (${paint(rule.severity, rule.severity)}, ${rule.family}): ${rule.title}\n`,
    para('Why', rule.rationale),
    para('What to do', rule.remediation),
    para('Automatic fix', rule.fix ? `${rule.fix} (lbguard fix)` : 'none'),
  ];
  if (rule.needsCalico) out.push(para('Needs', 'Calico managed in the same scope (else skipped)'));
  if (rule.evidence.length)
    out.push(`${paint('bold', 'Evidence')}\n${rule.evidence.map((e) => `  - ${e}\n`).join('')}`);
  out.push(
    para(
      'Silence it',
      `rules: { ${rule.id}: off } in .github/lbguard.yml, or on one resource the annotation lbguard.dev/ignore: "${rule.id}: why"`,
    ),
  );
  out.push(`${paint('dim', ruleHelpUri(rule.id))}\n`);
  io.out(out.join('\n'));
  return 0;
}
