// What every CLI command shares: the error that becomes "exit 2 + one line on stderr", and a
// small flag reader (`--name value`, positionals kept in order).

/** Bad input from the user: the CLI prints the message on one line and exits with code 2. */
export class CliError extends Error {}

export type CliCommand = (argv: string[]) => Promise<unknown>;

export interface ParsedArgs {
  flags: Map<string, string>;
  positionals: string[];
}

/** Reads `--flag value` pairs and positionals; every flag must be one of `known`. */
export function parseArgs(argv: string[], known: readonly string[]): ParsedArgs {
  const flags = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const name = a.slice(2);
      if (!known.includes(name)) throw new CliError(`unknown option --${name} (known: ${known.map((k) => '--' + k).join(', ')})`);
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new CliError(`option --${name} needs a value`);
      flags.set(name, value);
      i++;
    } else {
      positionals.push(a);
    }
  }
  return { flags, positionals };
}
