import { Command, CommanderError, Option } from 'commander';
import { UserError, type CommonOptions, type Io } from './commands/io.js';
import { validateCommand } from './commands/validate.js';
import { VERSION } from './version.js';

function common(command: Command): Command {
  return command
    .addOption(new Option('--env <env>', 'target environment').choices(['local', 'sandbox', 'production']))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown', 'github']))
    .option('--no-color', 'disable colour (NO_COLOR and FORCE_COLOR are honoured too)')
    .option('--concurrency <n>', 'parallel requests', '4')
    .option('--verbose', 'show unchanged objects too')
    .option('--debug', 'print an HTTP trace (secrets redacted)');
}

/**
 * Parses argv and runs one command. Returns the exit code; never calls process.exit, so tests
 * call it in-process. The one top-level catch turns expected failures into one-line messages.
 */
export async function main(argv: string[], io: Io): Promise<number> {
  let exitCode = 0;
  const run = (fn: () => Promise<number>) => async () => {
    exitCode = await fn();
  };
  const program = new Command('downline')
    .description('Contracting configuration as code: plan and apply AgentSync contracting setup from YAML.')
    .version(VERSION, '--version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)');

  common(program.command('validate').description('check config files offline: syntax, schema, references, variables'))
    .argument('[paths...]', 'config files or directories (default: downline.yaml)')
    .action((paths: string[], options: CommonOptions) => run(() => validateCommand(paths, options, io))());

  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (cause) {
    if (cause instanceof CommanderError) {
      return cause.code === 'commander.helpDisplayed' || cause.code === 'commander.version' || cause.code === 'commander.help' ? 0 : 1;
    }
    if (cause instanceof UserError) {
      io.stderr.write(`error: ${cause.message}\n`);
      return cause.exitCode;
    }
    io.stderr.write(`error: ${(cause as Error).message ?? String(cause)}\n`);
    if (io.env.DOWNLINE_STACK) io.stderr.write(`${(cause as Error).stack}\n`);
    return 1;
  }
}
