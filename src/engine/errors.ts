// Bad caller input (wrong shape, unknown name, beyond a limit). `field` names what is wrong so the
// CLI and the panel can say so in one line.
export class EngineInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'EngineInputError';
  }
}
