import { describe, expect, it } from 'vitest';
import { blockAround, formatInterval, parseAddress, parseCidr } from '../../src/net/ip.ts';

describe('parseCidr (strict, like Go net.ParseCIDR)', () => {
  it.each([
    ['10.0.0.0/24', '10.0.0.0/24', true],
    ['10.0.0.5/24', '10.0.0.0/24', false],
    ['fd00::1/64', 'fd00::/64', false],
    ['0.0.0.0/0', '0.0.0.0/0', true],
  ])('%s -> network %s (canonical %s)', (text, network, canonical) => {
    const c = parseCidr(text);
    expect(c?.network).toBe(network);
    expect(c?.canonical).toBe(canonical);
  });

  it.each([
    '10.0.0.1',
    '10.0.0.256/24',
    '010.0.0.1/24',
    ' 10.0.0.0/24',
    '10.0.0.0/ 24',
    '10.0.0.0/33',
    'fd00::/129',
    '10.0.0.0/024',
    'fe80::1%eth0/64',
    'abc/8',
  ])('rejects %s', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

describe('address helpers', () => {
  it('parses both families and rejects the rest', () => {
    expect(parseAddress('192.168.1.1')).toEqual({ family: 4, value: 3232235777n });
    expect(parseAddress('::1')).toEqual({ family: 6, value: 1n });
    expect(parseAddress('1.2.3')).toBeUndefined();
  });

  it('formats aligned blocks as CIDRs and other intervals as ranges', () => {
    expect(formatInterval(blockAround(4, parseAddress('10.1.2.3')!.value, 24))).toBe('10.1.2.0/24');
    expect(formatInterval({ family: 4, start: 167772161n, end: 167772170n })).toBe('10.0.0.1-10.0.0.10');
    expect(formatInterval({ family: 6, start: 1n, end: 1n })).toBe('::1');
  });
});
