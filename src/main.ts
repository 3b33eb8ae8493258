import { Command, CommanderError, Option } from 'commander';
import { UserError, type CommonOptions, type Io } from './commands/io.js';
import { applyCommand } from './commands/apply.js';
import { emulatorCommand } from './commands/emulator.js';
import { exportCommand } from './commands/export.js';
import { hierarchyCommand } from './commands/hierarchy.js';
import { initCommand } from './commands/init.js';
import { planCommand } from './commands/plan.js';
import { validateCommand } from './commands/validate.js';
import { doctorCommand } from './doctor/command.js';
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
 * Parses argv and runs one command. Returns the exit code; never exits the process itself, so tests
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

  const planOptions = (command: Command) => common(command)
    .argument('[paths...]', 'config files or directories (default: downline.yaml)')
    .option('--target <address>', 'limit to this address (kind.key) and what it depends on; repeatable', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--max-deletes <n>', 'block when more objects would be deleted', '10')
    .option('--max-delete-percent <p>', 'block when a larger share of one kind would be deleted', '20')
    .option('--force', 'proceed past the delete limits')
    .option('--drift', 'word updates as drift (for scheduled checks)');

  planOptions(program.command('plan').description('read-only: compare the live account with the config and show the changes'))
    .option('--out <file>', 'save the plan (JSON) for apply --plan')
    .option('--detailed-exitcode', 'exit 0 when there are no changes, 2 when there are')
    .action((paths: string[], options) => run(() => planCommand(paths, options, io))());

  planOptions(program.command('apply').description('plan, confirm and execute the changes'))
    .option('--auto-approve', 'do not ask for confirmation')
    .option('--plan <file>', 'execute a saved plan (refused when stale)')
    .option('--report <file>', 'write a JSON apply report')
    .action((paths: string[], options) => run(() => applyCommand(paths, options, io))());

  common(program.command('export').description('write the live account as config YAML that plans clean'))
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--npn <npn>', 'export the assignments of this producer; repeatable (default: all assignments)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--npn-file <file>', 'a file of NPNs (whitespace or comma separated)')
    .action((options) => run(() => exportCommand(options, io))());

  program.command('hierarchy').description('read-only Hierarchies API views: the upline tree, or lifecycle events')
    .option('--org <id>', 'organization id (a carrier id); required unless --config')
    .option('--config [path]', 'draw the tree the config declares (default downline.yaml), offline; with --env, where the live tree differs')
    .option('--product <name>', 'only product hierarchies whose name contains this')
    .option('--person <id>', 'only this producer\'s positions')
    .option('--date <yyyy-mm-dd>', 'the hierarchy as it was on this date')
    .option('--changes-since <yyyy-mm-dd>', 'report lifecycle events from the changelog since this date')
    .addOption(new Option('--format <format>', 'output format').choices(['tree', 'json']).default('tree'))
    .addOption(new Option('--env <env>', 'target environment').choices(['local', 'sandbox', 'production']))
    .option('--no-color', 'disable colour')
    .option('--concurrency <n>', 'parallel requests', '4')
    .option('--debug', 'print an HTTP trace (secrets redacted)')
    .action((options) => run(() => hierarchyCommand(options, io))());

  program.command('doctor').description('check every API assumption against the account (read-only unless --write-probe)')
    .argument('[paths...]', 'config whose agency.organizationId is the org for the Hierarchies checks (default: downline.yaml, if present)')
    .addOption(new Option('--env <env>', 'target environment').choices(['local', 'sandbox', 'production']))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']))
    .option('--write-probe', 'also create, update and delete probe objects (sandbox only; refused against production)')
    .option('--test-npn <npn>', 'a test producer for the probe\'s assignment checks')
    .option('--test-upline-npn <npn>', 'a second test producer, the upline in the uplineNpn check')
    .option('--org <id>', 'organization id for the Hierarchies checks')
    .option('--out <file>', 'also write the JSON report here (no secrets, tokens or personal data)')
    .option('--no-color', 'disable colour')
    .option('--concurrency <n>', 'parallel requests', '4')
    .option('--debug', 'print an HTTP trace (secrets redacted)')
    .action((paths: string[], options) => run(() => doctorCommand(paths, options, io))());

  program.command('init').description('scaffold a config repository: downline.yaml, .gitignore, a GitHub Actions workflow')
    .argument('[dir]', 'where to write (default: the current directory)')
    .option('--force', 'overwrite existing files')
    .action((dir: string | undefined, options) => run(() => initCommand(dir, options, io))());

  program.command('emulator').description('run the local AgentSync + Turris API emulator in the foreground')
    .option('--port <n>', 'port (0 = any free port)', '4010')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--state <file>', 'persist state in this JSON file')
    .option('--client-id <id>', 'accepted OAuth client id')
    .option('--client-secret <secret>', 'accepted OAuth client secret')
    .option('--token-ttl <s>', 'token lifetime in seconds', '3600')
    .option('--latency <ms>', 'added delay per request', '0')
    .option('--rate-limit <n>', 'requests per minute (0 = unlimited)', '0')
    .option('--bulk-rate-limit <n>', 'bulk requests per minute (default: rate limit / 6)')
    .option('--page-size <n>', 'default page size', '250')
    .option('--max-page-size <n>', 'largest page size honoured', '1000')
    .option('--rate-window <ms>', 'length of a rate-limit window (scale a run down in time)', '60000')
    .option('--fail-rate <p>', 'probability of a random 503', '0')
    .option('--fail-after-commit-rate <p>', 'probability that a write commits but answers 502', '0')
    .action((options) => run(() => emulatorCommand(options, io))());

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
