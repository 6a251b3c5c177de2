import { describe, expect, it } from 'vitest';
import { analyzeFiles, where, withRule } from '../helpers.ts';

const group = (pool: string) => `apiVersion: purelb.io/v2
kind: ServiceGroup
metadata:
  name: default
  namespace: purelb-system
spec:
  local:
    v4pool:
      subnet: 192.168.1.0/24
      pool: ${pool}
      aggregation: default
`;

describe('Jinja2 and other template files', () => {
  it('skips a .j2 manifest with one template-skipped notice and checks nothing in it', () => {
    // Arrange
    const files = { 'ansible/templates/servicegroup.yaml.j2': group('{{ lb_range }}') };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(where(withRule(a, 'template-skipped'))).toEqual(['ansible/templates/servicegroup.yaml.j2:1:1']);
    expect(withRule(a, 'sg-pool-syntax')).toEqual([]);
    expect(a.summary.resources).toBe(0);
  });

  it('skips a plain .j2 file even without {{ }} in it', () => {
    // Arrange
    const files = { 'roles/purelb/sg.j2': group('192.168.1.250-192.168.1.240') };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(where(withRule(a, 'template-skipped'))).toEqual(['roles/purelb/sg.j2:1:1']);
    expect(withRule(a, 'sg-pool-syntax')).toEqual([]);
  });

  it('reads the same manifest as .yaml (near miss)', () => {
    // Arrange
    const files = { 'purelb/sg.yaml': group('192.168.1.250-192.168.1.240') };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(withRule(a, 'template-skipped')).toEqual([]);
    expect(where(withRule(a, 'sg-pool-syntax'))).toEqual(['purelb/sg.yaml:10:13']);
  });
});
