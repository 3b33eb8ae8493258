import { Command, CommanderError, Option } from 'commander';
import { errorDocument, UserError, type CommonOptions, type Io } from './commands/io.js';
import { Interrupted, interruptExitCode } from './commands/interrupt.js';
import { concurrency, count, percentage, probability, wholeNumber } from './commands/options.js';
import { planCommand } from './commands/plan.js';
import { validateCommand } from './commands/validate.js';
import { VERSION } from './version.js';

// validate and plan — what every pull request and daily job runs — are loaded with the CLI: loaded on demand
// (a dynamic import after argument parsing) a no-op plan took ~100 ms more wall time for the same memory
// (bench, 1,000 producers: 455 → 343 ms). The others (apply, whose writes dwarf it, export, import, init,
// show, hierarchy, doctor, the emulator) load when they run, so those paths and --version start small.

/** Each command lists only the formats it honours; any other --format value is refused by commander. */
function common(command: Command, formats: string[]): Command {
  return command
    .addOption(new Option('--env <env>', 'target environment').choices(['local', 'sandbox', 'production']))
    .addOption(new Option('--format <format>', 'output format').choices(formats))
    .option('--no-color', 'disable colour (NO_COLOR and FORCE_COLOR are honoured too)')
    .option('--concurrency <n>', 'parallel requests', concurrency, 4)
    .option('--verbose', 'show unchanged objects too')
    .option('--debug', 'print an HTTP trace (secrets redacted)');
}

/**
 * Terraform spells long options with one dash (`-auto-approve`); commander reads that as unknown.
 * When the name is one of the command's long options, say so instead of a bare "unknown option".
 */
function withLongOptionHint(command: Command, message: string): string {
  const m = /^error: unknown option '-([A-Za-z][\w-]+)(?:=[^']*)?'/.exec(message);
  if (!m) return message;
  const known = new Set<string>(['--help']);
  for (let c: Command | null = command; c; c = c.parent) for (const o of c.options) if (o.long) known.add(o.long);
  const long = `--${m[1]}`;
  return known.has(long) ? `${m[0]} (did you mean ${long}? long options take two dashes)\n` : message;
}

/**
 * Parses argv and runs one command. Returns the exit code; never exits the process itself, so tests
 * call it in-process. The one top-level catch turns expected failures into one-line messages.
 */
export async function main(argv: string[], io: Io): Promise<number> {
  let exitCode = 0;
  const run = (fn: () => Promise<number>) => async () => {
    exitCode = await fn();
    // An interrupted command exits 130 / 143 (like Terraform), whatever it managed to finish.
    exitCode = interruptExitCode(io.signal) ?? exitCode;
  };
  const program = new Command('downline')
    .description('Contracting configuration as code: plan and apply AgentSync contracting setup from YAML.')
    .version(VERSION, '--version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)');
  // Machine output is always a document: an error under --format json is one too (on stdout).
  let format: string | undefined;
  program.hook('preAction', (_program, action) => void (format = action.opts().format as string | undefined));

  common(program.command('validate').description('check config files offline: syntax, schema, references, variables'), ['text', 'json', 'github'])
    .argument('[paths...]', 'config files or directories (default: downline.yaml)')
    .action((paths: string[], options: CommonOptions) => run(() => validateCommand(paths, options, io))());

  const planOptions = (command: Command, formats: string[]) => common(command, formats)
    .argument('[paths...]', 'config files or directories (default: downline.yaml)')
    .option('--target <address>', 'limit to this address (kind.key) and what it depends on; repeatable', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--max-deletes <n>', 'block when more objects would be deleted', count, 10)
    .option('--max-delete-percent <p>', 'block when a larger share of one kind would be deleted (20 or 20%)', percentage, 20)
    .option('--max-update-percent <p>', 'block when a larger share of one kind would be updated (from 10 live objects; 30 or 30%)', percentage, 30)
    .option('--force', 'proceed past the delete and update limits')
    .option('--drift', 'word updates as drift (for scheduled checks)')
    .option('--since <ref>', 'compare fields the API does not read back with the config at this git commit')
    .option('--push-unverified', 'write every declared field the API does not read back')
    .option('--as-of <yyyy-mm-dd>', 'the reference date for effective: and until: (default: DOWNLINE_AS_OF, else today, UTC)')
    .option('--only-due', 'only the changes whose effective: or until: date has come (what the daily job applies)');

  planOptions(program.command('plan').description('read-only: compare the live account with the config and show the changes'), ['text', 'json', 'markdown', 'github'])
    .option('--out <file>', 'save the plan (JSON) for apply --plan')
    .option('--detailed-exitcode', 'exit 0 when there are no changes, 2 when there are')
    .option('--adopt', 'keep the drift: write the live values of drifted objects into the config files, in place (implies --drift)')
    .action((paths: string[], options) => run(() => planCommand(paths, options, io))());

  planOptions(program.command('apply').description('plan, confirm and execute the changes (--format json: the apply report on stdout)'), ['text', 'json', 'github'])
    .option('--auto-approve', 'do not ask for confirmation')
    .option('--plan <file>', 'execute a saved plan: re-derived, and refused unless every change is the same (apply PLAN.json works too)')
    .option('--report <file>', 'write a JSON apply report (on every outcome)')
    .option('--show-invite-links', 'print invite links and put them in the report (they are onboarding credentials)')
    .action((paths: string[], options) => run(async () => (await import('./commands/apply.js')).applyCommand(paths, options, io))());

  common(program.command('show').description('render a saved plan (text, markdown or json) without contacting the account'), ['text', 'json', 'markdown'])
    .argument('<planfile>', 'a plan saved with plan --out')
    .option('--drift', 'word updates as drift')
    .action((file: string, options) => run(async () => (await import('./commands/show.js')).showCommand(file, options, io))());

  common(program.command('export').description('write the live account as config YAML that plans clean'), ['yaml', 'text', 'json'])

    .option('--out <file>', 'write to this file instead of stdout')
    .option('--npn <npn>', 'export the assignments of this producer; repeatable (default: all assignments)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--npn-file <file>', 'a file of NPNs (whitespace or comma separated)')
    .option('--roster <file>', 'write assignments to this roster (.csv) and only the setup to the YAML')
    .action((options) => run(async () => (await import('./commands/export.js')).exportCommand(options, io))());

  common(program.command('import').description('print a roster (.csv or .xlsx) as config YAML entries'), ['text', 'github'])
    .argument('<file>', 'a roster: producers.csv or producers.xlsx')
    .action((file: string, options: CommonOptions) => run(async () => (await import('./commands/import.js')).importCommand(file, options, io))());

  program.command('hierarchy').description('read-only Hierarchies API views: the upline tree, or lifecycle events')
    .option('--org <id|name>', 'the organization: a carrier id or a carrier name; required unless --config')
    .option('--config [path]', 'draw the tree the config declares (default downline.yaml), offline; with --env, where the live tree differs')
    .option('--product <name>', 'only this product\'s hierarchy')
    .option('--person <npn|id>', 'only this producer\'s positions: an NPN or a person id')
    .option('--date <yyyy-mm-dd>', 'the hierarchy as it was on this date')
    .option('--changes-since <yyyy-mm-dd>', 'report lifecycle events from the changelog since this date')
    .addOption(new Option('--format <format>', 'output format').choices(['tree', 'json']).default('tree'))
    .addOption(new Option('--env <env>', 'target environment').choices(['local', 'sandbox', 'production']))
    .option('--no-color', 'disable colour')
    .option('--concurrency <n>', 'parallel requests', concurrency, 4)
    .option('--debug', 'print an HTTP trace (secrets redacted)')
    .action((options) => run(async () => (await import('./commands/hierarchy.js')).hierarchyCommand(options, io))());

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
    .option('--concurrency <n>', 'parallel requests', concurrency, 4)
    .option('--debug', 'print an HTTP trace (secrets redacted)')
    .action((paths: string[], options) => run(async () => (await import('./doctor/command.js')).doctorCommand(paths, options, io))());

  program.command('init').description('scaffold a config repository: downline.yaml, .gitignore, a GitHub Actions workflow')
    .argument('[dir]', 'where to write (default: the current directory)')
    .option('--force', 'overwrite the scaffold\'s own files (downline.yaml, the workflow); .gitignore and package.json are merged, never overwritten')
    .option('--from <source>', 'where CI installs downline from: a registry version, a git URL with #tag, or a tarball path (default: this version)')
    .option('--roster', 'producers in a spreadsheet: producers.csv beside the YAML (which keeps the setup), read by every workflow step')
    .action((dir: string | undefined, options) => run(async () => (await import('./commands/init.js')).initCommand(dir, options, io))());

  program.command('emulator').description('run the local AgentSync + Turris API emulator in the foreground')
    .option('--port <n>', 'port (0 = any free port)', wholeNumber(0, 65535), 4010)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--state <file>', 'persist state in this JSON file')
    .option('--client-id <id>', 'accepted OAuth client id')
    .option('--client-secret <secret>', 'accepted OAuth client secret')
    .option('--token-ttl <s>', 'token lifetime in seconds', wholeNumber(1), 3600)
    .option('--latency <ms>', 'added delay per request', count, 0)
    .option('--rate-limit <n>', 'requests per minute (0 = unlimited)', count, 0)
    .option('--bulk-rate-limit <n>', 'bulk requests per minute (default: rate limit / 6)', count)
    .option('--page-size <n>', 'default page size', wholeNumber(1), 250)
    .option('--max-page-size <n>', 'largest page size honoured', wholeNumber(1), 1000)
    .option('--rate-window <ms>', 'length of a rate-limit window (scale a run down in time)', wholeNumber(1), 60000)
    .option('--list-lag <ms>', 'listings leave out objects created less than this long ago (eventual consistency)', count, 0)
    .option('--fail-rate <p>', 'probability of a random 503', probability, 0)
    .option('--fail-after-commit-rate <p>', 'probability that a write commits but answers 502', probability, 0)
    .option('--licenses <file>', 'ProducerSync licence table (JSON: NPN → licences); NPNs not listed are licensed everywhere')
    .action(async (options) => void (exitCode = await (await import('./commands/emulator.js')).emulatorCommand(options, io)));

  program.command('version').description('print the version (same as --version)')
    .action(() => void io.stdout.write(`${VERSION}\n`));

  for (const command of [program, ...program.commands]) {
    command.exitOverride().configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(withLongOptionHint(command, s)),
    });
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (cause) {
    if (cause instanceof CommanderError) {
      return cause.code === 'commander.helpDisplayed' || cause.code === 'commander.version' || cause.code === 'commander.help' ? 0 : 1;
    }
    const hint = (cause as { hint?: unknown }).hint;
    if (format === 'json') io.stdout.write(errorDocument((cause as Error).message ?? String(cause), typeof hint === 'string' ? hint : undefined));
    const interrupted = interruptExitCode(io.signal);
    if (interrupted) {
      io.stderr.write(cause instanceof Interrupted ? `${cause.message}\n` : `interrupted (${String(io.signal?.reason)}): ${(cause as Error).message ?? String(cause)}\n`);
      return interrupted;
    }
    if (cause instanceof UserError) {
      io.stderr.write(`error: ${cause.message}\n`);
      return cause.exitCode;
    }
    io.stderr.write(`error: ${(cause as Error).message ?? String(cause)}${typeof hint === 'string' ? ` (${hint})` : ''}\n`);
    if (io.env.DOWNLINE_STACK) io.stderr.write(`${(cause as Error).stack}\n`);
    return 1;
  }
}
