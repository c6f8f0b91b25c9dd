/** Why a schema cannot be mapped to PHP, with the JSON pointer of the offending schema. */
export class UnsupportedSchemaError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path || '/'}: ${reason}`);
    this.name = 'UnsupportedSchemaError';
  }
}
