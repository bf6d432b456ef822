/** An input file the user named could not be used (exit 66). */
export class InputError extends Error {
  readonly code = 'EINPUT';
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
