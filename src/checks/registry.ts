// A rule is data (what the catalog says) plus, for most, a pure function over one scope.
import type { Config } from '../config.ts';
import type { Report, Severity } from '../findings.ts';
import type { Model } from '../manifests/model.ts';
import { calicoPoolsOf } from './calico-pools.ts';
import { analyzeServiceGroups, type PoolInfo, type ServiceGroupAnalysis } from './pools.ts';

export type RuleFamily = 'input' | 'servicegroup' | 'calico' | 'advertisement' | 'services' | 'routes';

export type RuleMeta<Id extends string = string> = {
  id: Id;
  family: RuleFamily;
  severity: Severity;
  title: string;
  /** Why a network engineer should care. */
  rationale: string;
  /** What to do about it. */
  remediation: string;
  /** Upstream source files or issues that back the rule. */
  evidence: string[];
  /** What the generated fix does, when the rule has one. */
  fix?: string;
  /** Section D: skipped (with one calico-not-in-scope notice) in a scope that manages no Calico. */
  needsCalico?: boolean;
  /**
   * Section A: each report names an input that was not read (a file, a template, a values source,
   * a remote source, a variable). Every summary counts these as gaps (`gapsOf` in engine.ts), so
   * "no findings" is never said of a run that left something out.
   */
  unread?: true;
};

/** What a rule hands in: everything but the rule id, which the context adds. */
export type RuleReport = Omit<Report, 'rule'> & { severity?: Severity };

export type CheckContext = {
  model: Model;
  config: Config;
  scope: string;
  report(r: RuleReport): void;
  /** Pools as PureLB reads them, computed once per scope. */
  pools(): PoolInfo[];
  /** The pools and the section-B problems, from the same single pass as pools(). */
  serviceGroups(): ServiceGroupAnalysis;
  /** Any other derived state shared between rules of a scope, computed once. */
  memo<T>(key: string, compute: () => T): T;
};

/**
 * The one rule shape: catalog metadata plus either the logic that runs on one scope, or (section
 * A only) the stage that reports it while reading files and config, before any rule runs.
 */
export type Rule<Id extends string = string> = RuleMeta<Id> &
  (
    | { family: Exclude<RuleFamily, 'input'>; check: (ctx: CheckContext) => void; reportedBy?: never }
    | { family: 'input'; reportedBy: string; check?: never }
  );

/**
 * Declares a rule. The literal id is kept in the type, so a family's list yields a union of its
 * ids (section A's `InputRuleId`, which the readers that report those rules are checked against).
 */
export const defineRule = <const Id extends string>(rule: Rule<Id>): Rule<Id> => rule;

/**
 * One scope's context factory: every rule (and the pool table, as a pseudo-rule that never
 * reports) gets a context sharing the same memo, so derived state is computed once per scope.
 */
export function makeContext(
  model: Model,
  config: Config,
  scope: string,
  sink: (rule: string, r: RuleReport) => void,
): (rule: Pick<Rule, 'id'>) => CheckContext {
  const cache = new Map<string, unknown>();
  const memo = <T>(key: string, compute: () => T): T => {
    if (!cache.has(key)) cache.set(key, compute());
    return cache.get(key) as T;
  };
  const serviceGroups = () =>
    memo('sg', () => analyzeServiceGroups(model, config.nodeSubnets, () => calicoPoolsOf({ model, memo })));
  const pools = () => serviceGroups().pools;
  return (rule) => ({ model, config, scope, pools, serviceGroups, memo, report: (r) => sink(rule.id, r) });
}
