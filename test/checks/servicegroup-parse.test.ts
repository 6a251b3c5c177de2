import { describe, expect, it } from 'vitest';
import { parseAggregation, parsePoolRange } from '../../src/checks/pools.ts';
import { formatInterval } from '../../src/net/ip.ts';

const range = (text: string): string => {
  const r = parsePoolRange(text);
  return r.ok ? formatInterval(r.range) : `error: ${r.error}`;
};

describe('parsePoolRange (PureLB NewIPRange)', () => {
  it('reads from-to and trims whitespace around the dash', () => {
    // Arrange / Act / Assert
    expect(range('10.0.0.10-10.0.0.20')).toBe('10.0.0.10-10.0.0.20');
    expect(range('10.0.0.10 - 10.0.0.20')).toBe('10.0.0.10-10.0.0.20');
    expect(range('  10.0.0.10\t-  10.0.0.20 ')).toBe('10.0.0.10-10.0.0.20');
  });

  it('starts a CIDR pool at the literal address: host bits are not masked', () => {
    // Arrange
    const r = parsePoolRange('10.0.0.100/24');

    // Act / Assert
    expect(r.ok && formatInterval(r.range)).toBe('10.0.0.100-10.0.0.255');
    expect(r.ok && r.cidr?.canonical).toBe(false);
    expect(range('10.0.0.0/24')).toBe('10.0.0.0/24');
  });

  it('reads IPv6 in both forms', () => {
    // Arrange / Act / Assert
    expect(range('2001:db8::1-2001:db8::ff')).toBe('2001:db8::1-2001:db8::ff');
    expect(range('2001:db8:1::/64')).toBe('2001:db8:1::/64');
    expect(range('2001:db8::1 - 2001:db8::ff')).toBe('2001:db8::1-2001:db8::ff');
  });

  it('rejects a bare address, with a hint', () => {
    // Arrange / Act / Assert
    expect(range('10.0.0.5')).toBe(
      'error: invalid CIDR "10.0.0.5" (a bare address needs a prefix, e.g. /32)',
    );
    expect(range('2001:db8::5')).toMatch(/^error: invalid CIDR .*bare address/);
  });

  it('rejects a comma list', () => {
    // Arrange / Act / Assert
    expect(range('10.0.0.5/32,10.0.0.6/32')).toMatch(/^error: invalid CIDR .*one pool holds one range/);
  });

  it('rejects reversed ends, mixed families and broken ends', () => {
    // Arrange / Act / Assert
    expect(range('10.0.0.20-10.0.0.10')).toBe('error: the start 10.0.0.20 is after the end 10.0.0.10');
    expect(range('10.0.0.1-2001:db8::1')).toBe('error: the two ends are of different address families');
    expect(range('10.0.0.1-')).toBe('error: invalid end address ""');
    expect(range('10.0.0.1-10.0.0.5-10.0.0.9')).toBe('error: invalid end address "10.0.0.5-10.0.0.9"');
    expect(range('10.0.0.0/33')).toMatch(/^error: invalid CIDR/);
    expect(range('')).toMatch(/^error: invalid CIDR/);
  });
});

describe('parseAggregation', () => {
  it('accepts default and /N within the family', () => {
    // Arrange / Act / Assert
    expect(parseAggregation('default', 4)).toEqual({ ok: true, value: 'default' });
    expect(parseAggregation('/32', 4)).toEqual({ ok: true, value: 32 });
    expect(parseAggregation('/128', 6)).toEqual({ ok: true, value: 128 });
    expect(parseAggregation('/64', undefined)).toEqual({ ok: true, value: 64 });
  });

  it('rejects the missing slash, out-of-range prefixes and other text', () => {
    // Arrange / Act / Assert
    expect(parseAggregation('32', 4)).toEqual({ ok: false, error: '"32" lacks the slash: write "/32"' });
    expect(parseAggregation('/33', 4)).toEqual({ ok: false, error: '/33 is outside 1..32 for IPv4' });
    expect(parseAggregation('/0', 6)).toEqual({ ok: false, error: '/0 is outside 1..128 for IPv6' });
    expect(parseAggregation('/129', undefined)).toEqual({ ok: false, error: '/129 is outside 1..128' });
    expect(parseAggregation('Default', 4).ok).toBe(false);
    expect(parseAggregation(' /32', 4).ok).toBe(false);
  });
});
