// Types of check-boundaries.mjs, for the test that imports it (packages/codegen/test).

/** Every rule: its id and what it asks. */
export declare const RULES: Readonly<{
  'protocol-imports-typebox-only': string;
  'protocol-core-imports-nothing': string;
  'gateway-and-sdk-apart': string;
  'shipped-code-without-testkit': string;
  'no-relative-import-across-packages': string;
}>;

/** The id of a rule. */
export type RuleId = keyof typeof RULES;

/** One import that breaks a rule. */
export interface Violation {
  /** Relative to the root, `/`-separated. */
  file: string;
  line: number;
  specifier: string;
  rule: RuleId;
}

/** The modules a source text imports, with their line. */
export declare function importSpecifiers(text: string): { specifier: string; line: number }[];

/** The workspace packages, from `pnpm-workspace.yaml`. */
export declare function workspacePackages(root: string): { dir: string; name: string }[];

/** Every import in the workspace under `root` that breaks a rule, sorted by file and line. */
export declare function checkBoundaries(root: string): Violation[];

/** One violation as one line: where, what, which rule and what the rule asks. */
export declare function formatViolation(violation: Violation): string;
