import { describe, expect, it } from 'vitest';
import { chooseConfig, configFromObject, deepMerge } from '../../src/github/config.ts';
import { toFiles } from '../helpers.ts';

describe('the App config', () => {
  it('validates a merged config object through the same schema as the file', () => {
    // Arrange
    const merged = { failOn: 'all', colour: 'blue', rules: { 'no-such-rule': 'off' } };

    // Act
    const parsed = configFromObject(merged);

    // Assert
    expect(parsed.config.failOn).toBe('all');
    expect(parsed.reports.map((r) => `${r.file}:${r.line}:${r.column} ${r.message}`)).toEqual([
      '.github/lbguard.yml:1:1 Unknown key `colour`; see docs/configuration.md.',
      '.github/lbguard.yml:1:1 Unknown rule id `no-such-rule`; see docs/rules.md for the list.',
    ]);
  });

  it('gives defaults and no finding when there is no config', () => {
    // Arrange / Act
    const parsed = configFromObject(null);

    // Assert
    expect(parsed.reports).toEqual([]);
    expect(parsed.config.failOn).toBe('new');
  });

  it('uses the PR’s own config file, with exact positions, unless it extends another', () => {
    // Arrange
    const own = toFiles({ '.github/lbguard.yml': 'failOn: all\nbogus: 1\n' });
    const extending = toFiles({ '.github/lbguard.yml': '_extends: .github\nfailOn: all\n' });

    // Act
    const a = chooseConfig(own, { failOn: 'new' });
    const b = chooseConfig(extending, { failOn: 'new', push: { enabled: false } });

    // Assert
    expect(a.config.failOn).toBe('all');
    expect(a.reports.map((r) => `${r.line}:${r.column}`)).toEqual(['2:1']);
    expect(b.config.failOn).toBe('new');
    expect(b.config.pushEnabled).toBe(false);
  });
});

describe('merging config files', () => {
  it('merges objects key by key and concatenates lists, as Probot does for context.config', () => {
    // Arrange
    const org = {
      failOn: 'new',
      rules: { 'lb-community-missing': 'off' },
      network: { nodeSubnets: ['10.0.0.0/24'] },
    };
    const repo = {
      failOn: 'all',
      rules: { 'sg-namespace': 'off' },
      network: { nodeSubnets: ['10.1.0.0/24'] },
    };

    // Act
    const merged = deepMerge(org, repo);

    // Assert
    expect(merged).toEqual({
      failOn: 'all',
      rules: { 'lb-community-missing': 'off', 'sg-namespace': 'off' },
      network: { nodeSubnets: ['10.0.0.0/24', '10.1.0.0/24'] },
    });
  });
});
