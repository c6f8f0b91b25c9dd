import { type PhpRunner, runPhpJson } from './php.js';

/** Input of `test/php/issue-token.php`. */
export interface IssueInput {
  algorithm: 'hs256' | 'rs256' | 'es256';
  key: string;
  keyId?: string;
  count?: number;
  issue: Record<string, unknown>;
}

/** What the PHP TokenIssuer threw. */
export interface IssueError {
  class: string;
  message: string;
  /** Whether it is a `Postbode\PostbodeException`. */
  postbode: boolean;
  /** Its `->errorCode`, when it has one. */
  errorCode: string | null;
}

type IssueResult = { tokens: string[] } | { error: IssueError };

/** Tokens signed by the generated PHP TokenIssuer (with `php`, by default the system's). */
export async function phpTokens(input: IssueInput, php?: PhpRunner): Promise<string[]> {
  const result = await runPhpJson<IssueResult>('issue-token.php', input, { php });
  if ('error' in result) throw new Error(`${result.error.class}: ${result.error.message}`);
  return result.tokens;
}

/** One token signed by the generated PHP TokenIssuer. */
export async function phpToken(input: IssueInput): Promise<string> {
  const [token] = await phpTokens(input);
  if (token === undefined) throw new Error('TokenIssuer returned no token');
  return token;
}

/** The error the PHP TokenIssuer threw; rejects when it signed a token. */
export async function phpTokenError(input: IssueInput, php?: PhpRunner): Promise<IssueError> {
  const result = await runPhpJson<IssueResult>('issue-token.php', input, { php });
  if (!('error' in result)) throw new Error('expected an error, got a token');
  return result.error;
}
