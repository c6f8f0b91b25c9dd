import { describe, expect, it } from 'vitest';
import {
  bumpBetween,
  bumpCovers,
  compareVersions,
  nextVersion,
  parseVersion,
  requiredBump,
} from '../../src/compat/semver.js';

describe('versions', () => {
  it('parses MAJOR.MINOR.PATCH only', () => {
    expect(parseVersion('0.1.0')).toEqual({ major: 0, minor: 1, patch: 0 });
    expect(parseVersion('12.30.4')).toEqual({ major: 12, minor: 30, patch: 4 });
    for (const text of ['1.0', '01.0.0', '1.0.0-beta.1', 'v1.0.0', '1.0.0+b', '']) {
      expect(parseVersion(text), text).toBeUndefined();
    }
  });

  it('orders numerically', () => {
    expect(['0.10.0', '0.2.0', '1.0.0', '0.2.1'].sort(compareVersions)).toEqual([
      '0.2.0',
      '0.2.1',
      '0.10.0',
      '1.0.0',
    ]);
    expect(() => compareVersions('0.1', '0.1.0')).toThrow(/MAJOR\.MINOR\.PATCH/);
  });

  it('names the bump between two versions', () => {
    expect(bumpBetween('0.1.0', '0.1.0')).toBe('none');
    expect(bumpBetween('0.1.0', '0.1.4')).toBe('patch');
    expect(bumpBetween('0.1.3', '0.2.0')).toBe('minor');
    expect(bumpBetween('0.9.9', '1.0.0')).toBe('major');
    expect(() => bumpBetween('0.2.0', '0.1.9')).toThrow(/older/);
  });

  it('from 1.0.0: breaking → major, compatible → minor, docs → patch', () => {
    expect(requiredBump('breaking', '1.4.2')).toBe('major');
    expect(requiredBump('compatible', '1.4.2')).toBe('minor');
    expect(requiredBump('docs', '1.4.2')).toBe('patch');
    expect(requiredBump('none', '1.4.2')).toBe('none');
  });

  it('while the major is 0: breaking → minor, anything else → patch', () => {
    expect(requiredBump('breaking', '0.1.0')).toBe('minor');
    expect(requiredBump('compatible', '0.1.0')).toBe('patch');
    expect(requiredBump('docs', '0.1.0')).toBe('patch');
    expect(requiredBump('breaking', '0.0.3')).toBe('minor');
  });

  it('a bigger bump covers a smaller need', () => {
    expect(bumpCovers('major', 'minor')).toBe(true);
    expect(bumpCovers('minor', 'minor')).toBe(true);
    expect(bumpCovers('patch', 'minor')).toBe(false);
    expect(bumpCovers('none', 'patch')).toBe(false);
    expect(bumpCovers('none', 'none')).toBe(true);
  });

  it('gives the next version', () => {
    expect(nextVersion('0.1.3', 'minor')).toBe('0.2.0');
    expect(nextVersion('0.1.3', 'patch')).toBe('0.1.4');
    expect(nextVersion('1.2.3', 'major')).toBe('2.0.0');
    expect(nextVersion('1.2.3', 'none')).toBe('1.2.3');
  });
});
