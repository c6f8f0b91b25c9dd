import { describe, expect, expectTypeOf, it } from 'vitest';
import * as api from '../src/index.js';

describe('the public API (src/index.ts)', () => {
  it('is what a user of the generator needs, and nothing else', () => {
    expect(Object.keys(api).sort()).toEqual([
      'GENERATED_MARKER',
      'UnsupportedSchemaError',
      'generatePhpPackage',
      'phpConstantName',
      'phpMethodName',
    ]);
  });

  it('types the generated files and the options', () => {
    expectTypeOf(api.generatePhpPackage)
      .parameter(0)
      .toEqualTypeOf<api.GeneratePhpPackageOptions | undefined>();
    expectTypeOf(api.generatePhpPackage).returns.toEqualTypeOf<api.GeneratedFile[]>();
    expectTypeOf<api.GeneratedFile>().toEqualTypeOf<{ path: string; contents: string }>();
  });
});
