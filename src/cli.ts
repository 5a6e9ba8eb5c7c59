// Headless entry: `node dist/cli.js <command> ...`. Each command lives in src/cli/<command>.ts and
// returns the JSON it prints. Contract for scripts: success prints one JSON object on stdout and
// exits 0; bad input exits 2 with one line on stderr naming the problem (never a stack trace).
import { CliError, type CliCommand } from './cli/common';

const commands: Record<string, () => Promise<CliCommand>> = {
  parse: () => import('./cli/parse').then((m) => m.parse),
  trace: () => import('./cli/trace').then((m) => m.trace),
  inspect: () => import('./cli/inspect').then((m) => m.inspect),
  render: () => import('./cli/render').then((m) => m.render),
};

function usage(): string {
  return `usage: rnn-unroll <${Object.keys(commands).join('|')}> [options]`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const load = name === undefined ? undefined : commands[name];
  if (!load) {
    process.stderr.write(`${name === undefined ? 'no command given' : `unknown command '${name}'`}; ${usage()}\n`);
    return 2;
  }
  try {
    const command = await load();
    const result = await command(rest);
    process.stdout.write(JSON.stringify(result) + '\n');
    return 0;
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`rnn-unroll ${name}: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`rnn-unroll ${name}: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
