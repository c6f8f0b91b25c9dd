/** One file a generator makes: where (relative to the output root, `/` separators) and what. */
export interface GeneratedFile {
  /** Relative to the output root, with `/` separators. */
  readonly path: string;
  /** The whole text of the file. */
  readonly contents: string;
}
