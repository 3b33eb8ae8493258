import { access, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { VERSION } from '../version.js';
import { EMPTY_ROSTER, linesLackingRoster, ROSTER_NAME, ROSTER_PATHS, rosterConfig, rosterWorkflow, SCAFFOLD_ROSTER } from './init-roster.js';
import { UserError, type Io } from './io.js';

export const SCAFFOLD_CONFIG = `# yaml-language-server: $schema=./node_modules/downline/schemas/downline.schema.json
# downline: your AgentSync contracting setup as code.
#   npx downline validate                  check this file offline
#   npx downline plan --env local          see what would change (local emulator; sandbox/production with credentials)
#   npx downline apply --env local         make it so (asks first); CI applies production on merge
version: 1
variables: [AGENTSYNC_ORG_ID]              # the only environment variables this file may read

carriers:
  - name: Example Life Insurance Company   # the key: carrier names are unique
    naic: "12345"
    products:
      - name: Term Life 20
        lineOfBusiness: Life               # a lookup NAME, resolved at plan time
        annualization: Monthly
        administrativeDivisions: [TX, OK]  # where it is sold: each position's licences are checked against these
        commissionLevels:
          - { name: Street, type: percent, firstYearValue: 80, level: 1 }
          - { name: Agency, type: percent, firstYearValue: 95, level: 2 }

assignments:
  - npns: ["10000001", "10000002"]         # one entry, several producers on the same contract
    carrier: Example Life Insurance Company
    product: Term Life 20
    commissionLevel: Street
    status: APPROVED                       # set on create; later workflow progress is not reverted

# Who sends producer invitations: uncomment with your first invite. The organization id comes from
# the AGENTSYNC_ORG_ID repository variable; it has no default, so an unset variable is an error
# rather than a placeholder organization inviting producers in production.
# agency:
#   organizationId: \${env:AGENTSYNC_ORG_ID}
#   inviter: { firstName: Contracting, lastName: Team, email: contracting@example.com }
#
# invites:
#   - producer: { npn: "10000003", email: new.producer@example.com, firstName: New, lastName: Producer }
#     contracts:
#       - { carrier: Example Life Insurance Company, product: Term Life 20, commissionLevel: Street, administrativeDivisions: [TX] }

# Deletes are off until you opt in, per kind, and guarded by --max-deletes / --max-delete-percent.
# prune: { products: false, commissionLevels: false, assignments: false }
# Offboarding keeps the history: assignments: terminate ends removed contracts (status TERMINATED) instead.
# An entry may start later (effective: 2027-01-01) and an assignment end on a date (until: 2027-06-30).
`;

export const SCAFFOLD_GITIGNORE = `# downline's local emulator state, and what CI writes
.downline/
node_modules/
plan.json
plan.md
plan.err
drift.md
report.json
due.json
due-report.json
adopt.md
`;

const CLI = 'npx --no-install downline';

/**
 * Credentials are given to the downline steps only: `npm ci` and everything it installs run
 * without them.
 */
const SECRETS = `        env:
          AGENTSYNC_CLIENT_ID: \${{ secrets.AGENTSYNC_CLIENT_ID }}
          AGENTSYNC_CLIENT_SECRET: \${{ secrets.AGENTSYNC_CLIENT_SECRET }}
          TURRIS_CLIENT_ID: \${{ secrets.TURRIS_CLIENT_ID }}
          TURRIS_CLIENT_SECRET: \${{ secrets.TURRIS_CLIENT_SECRET }}
          AGENTSYNC_ORG_ID: \${{ vars.AGENTSYNC_ORG_ID }}
`;

/** The steps every job starts with: the checkout, Node, and downline exactly as package-lock.json pins it. */
const SETUP = `      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # --since reads the config at the base commit
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - name: Install downline (pinned with its integrity in package-lock.json)
        run: npm ci
`;

/** Applies and drift checks against the account never overlap, across branches; none is cancelled. */
const ACCOUNT_LOCK = `    concurrency:
      group: downline-production
      cancel-in-progress: false
`;

/** The workflow `init` writes (also shipped as examples/github-actions/downline.yml). */
export const SCAFFOLD_WORKFLOW = `# downline: plan on pull requests (one comment, updated in place), apply on merge, daily: apply what came due, then a drift check.
# Repository secrets: AGENTSYNC_CLIENT_ID, AGENTSYNC_CLIENT_SECRET (and TURRIS_CLIENT_ID, TURRIS_CLIENT_SECRET
# if you invite agencies through Turris). Repository variable: AGENTSYNC_ORG_ID (when you send invites).
# downline itself comes from package.json / package-lock.json (npm ci), never from an unpinned download.
name: downline

on:
  pull_request:
  push:
    branches: [main]
  schedule:
    - cron: "17 6 * * *"
  workflow_dispatch:
    inputs:
      adopt:
        description: Keep the drift instead of reverting it (a pull request writes the live values into the config)
        type: boolean
        default: false

permissions:
  contents: read

jobs:
  plan:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write
    concurrency:
      group: downline-plan-\${{ github.ref }}
      cancel-in-progress: true
    steps:
${SETUP}      - name: Validate
        run: ${CLI} validate --format github
      - name: Plan
        if: \${{ !cancelled() }}
${SECRETS}          HEAD_SHA: \${{ github.event.pull_request.head.sha }}
          BASE_SHA: \${{ github.event.pull_request.base.sha }}
        run: |
          set +e
          # --since: fields the API does not read back are compared with the config at the base.
          ${CLI} plan --env production --since "$BASE_SHA" --format markdown --out plan.json --detailed-exitcode > plan.md 2> plan.err
          code=$?
          cat plan.err >&2
          # Every outcome gets a comment: a plan (changes, none, blocked) from downline, else the error.
          if ! head -n 1 plan.md | grep -qxF '<!-- downline-plan -->'; then
            { echo '<!-- downline-plan -->'; echo '### downline plan: error'; echo; echo "downline could not plan this commit (exit $code):"; echo; echo '~~~'; cat plan.err; echo '~~~'; } > plan.md
          fi
          printf '\\n<sub>Plan of commit %s (exit code %s).</sub>\\n' "$HEAD_SHA" "$code" >> plan.md
          cat plan.md >> "$GITHUB_STEP_SUMMARY"
          # 0: no changes, 2: changes to review; 3 (blocked by a delete limit) and 1 (error) fail the check.
          if [ "$code" -ne 0 ] && [ "$code" -ne 2 ]; then exit "$code"; fi
      - name: Comment on the pull request (one comment, updated in place, on every outcome)
        if: \${{ !cancelled() }}
        env:
          GH_TOKEN: \${{ github.token }}
          REPO: \${{ github.repository }}
          PR: \${{ github.event.pull_request.number }}
        run: |
          marker='<!-- downline-plan -->'
          id=$(gh api "repos/$REPO/issues/$PR/comments" --paginate --jq ".[] | select(.body | startswith(\\"$marker\\")) | .id" | head -n 1)
          if [ -n "$id" ]; then
            gh api -X PATCH "repos/$REPO/issues/comments/$id" -F body=@plan.md
          else
            gh api -X POST "repos/$REPO/issues/$PR/comments" -F body=@plan.md
          fi
      - uses: actions/upload-artifact@v4
        if: \${{ !cancelled() }}
        with:
          name: downline-plan
          path: plan.json

  apply:
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    environment: production
${ACCOUNT_LOCK}    steps:
${SETUP}      - name: Plan this commit
${SECRETS}          BEFORE_SHA: \${{ github.event.before }}
        run: |
          set +e
          # The saved plan records --since; apply --plan re-derives it the same way.
          ${CLI} plan --env production --since "$BEFORE_SHA" --out plan.json --detailed-exitcode
          code=$?
          if [ "$code" -ne 0 ] && [ "$code" -ne 2 ]; then exit "$code"; fi
      - name: Apply exactly that plan (re-derived, refused if anything differs)
${SECRETS}        run: ${CLI} apply --env production --plan plan.json --report report.json
      - uses: actions/upload-artifact@v4
        if: \${{ !cancelled() }}
        with:
          name: downline-apply-report
          path: report.json

  drift:
    if: github.event_name == 'schedule' || (github.event_name == 'workflow_dispatch' && !inputs.adopt)
    runs-on: ubuntu-latest
${ACCOUNT_LOCK}    steps:
${SETUP}      - name: Plan the changes that came due today (effective / until dates)
${SECRETS}        run: |
          set +e
          # Only dated entries whose day has come (and what they need); everything else is drift, below.
          ${CLI} plan --env production --only-due --out due.json --detailed-exitcode
          code=$?
          if [ "$code" -ne 0 ] && [ "$code" -ne 2 ]; then exit "$code"; fi
      - name: Apply exactly those (re-derived for the same date, refused if anything differs)
${SECRETS}        run: ${CLI} apply --env production --plan due.json --report due-report.json
      - uses: actions/upload-artifact@v4
        if: \${{ !cancelled() }}
        with:
          name: downline-due-report
          path: due-report.json
      - name: Drift check (fails when the live account differs from main; names who changed it, and when)
        if: \${{ !cancelled() }}
${SECRETS}        run: |
          set +e
          ${CLI} plan --env production --drift --format markdown --detailed-exitcode > drift.md
          code=$?
          cat drift.md >> "$GITHUB_STEP_SUMMARY"
          exit "$code"

  adopt:
    # Run the workflow by hand with "adopt" ticked: the drift becomes a pull request to review, not a revert.
    if: github.event_name == 'workflow_dispatch' && inputs.adopt
    runs-on: ubuntu-latest
    permissions:
      contents: write
      pull-requests: write
${ACCOUNT_LOCK}    steps:
${SETUP}      - name: Write the live values of the drift into the config
${SECRETS}        run: ${CLI} plan --env production --adopt --format markdown > adopt.md
      - name: Open a pull request with the adopted config
        env:
          GH_TOKEN: \${{ github.token }}
          RUN_ID: \${{ github.run_id }}
          BASE: \${{ github.ref_name }}
        run: |
          if git diff --quiet; then echo 'No drift to adopt: the config already says what the account holds.' >> "$GITHUB_STEP_SUMMARY"; exit 0; fi
          branch="downline/adopt-drift-$RUN_ID"
          git config user.name 'github-actions[bot]'
          git config user.email '41898282+github-actions[bot]@users.noreply.github.com'
          git checkout -q -b "$branch"
          # -a: every tracked file plan --adopt rewrote, YAML and rosters (CSV, xlsx) alike; adopt.md is not tracked.
          git commit -q -a -m 'Adopt the live account drift (downline plan --adopt)'
          git push -q origin "$branch"
          gh pr create --base "$BASE" --head "$branch" --title 'Adopt the drift found in the live account' --body-file adopt.md
          cat adopt.md >> "$GITHUB_STEP_SUMMARY"
`;

/**
 * Where CI installs downline from, as a package.json dependency spec: an exact registry version, a
 * git URL pinned to a tag, or a tarball (a path, kept relative to the config repository).
 */
export async function dependencySpec(from: string | undefined, root: string, cwd: string): Promise<string> {
  const source = from ?? VERSION;
  if (/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(source)) return source;
  if (/^(git\+[a-z]+:|git:|github:|[\w.-]+@[\w.-]+:)/.test(source) || /\.git(#|$)/.test(source)) {
    if (!/#.+/.test(source)) throw new UserError(`--from ${source}: pin a tag or commit (e.g. ${source}#v${VERSION}); a branch can move under a reviewed lockfile`);
    return source;
  }
  if (/\.(tgz|tar\.gz)$/.test(source)) {
    if (/^https:\/\//.test(source)) return source;
    const tarball = resolve(cwd, source);
    if (!(await exists(tarball))) throw new UserError(`--from ${source}: no such file (make one with npm pack)`);
    // The form npm itself writes, so a later `npm install` leaves the line as it is.
    return `file:${relative(root, tarball).split(sep).join('/')}`;
  }
  throw new UserError(`--from ${source}: expected a version (${VERSION}), a git URL with #tag, or a tarball (.tgz)`);
}

const exists = (path: string) => access(path).then(() => true, () => false);

type Outcome = { wrote: string[]; kept: string[] };

/** package.json: add downline as a devDependency, keep everything else (an existing spec too, unless --force). */
/** Returns the spec package.json holds afterwards (an existing pin is kept unless --force). */
async function mergePackageJson(path: string, spec: string, name: string, force: boolean, done: Outcome): Promise<string> {
  if (!(await exists(path))) {
    const pkg = { name, private: true, description: 'AgentSync contracting configuration, planned and applied by downline', devDependencies: { downline: spec } };
    await writeFile(path, `${JSON.stringify(pkg, null, 2)}\n`);
    done.wrote.push('package.json');
    return spec;
  }
  let pkg: { devDependencies?: Record<string, string>; dependencies?: Record<string, string> };
  try {
    pkg = JSON.parse(await readFile(path, 'utf8')) as typeof pkg;
  } catch (cause) {
    throw new UserError(`package.json is not valid JSON (${(cause as Error).message}); nothing was written`);
  }
  const current = pkg.devDependencies?.downline ?? pkg.dependencies?.downline;
  if (current !== undefined && (current === spec || !force)) {
    done.kept.push(`package.json (downline ${current}${current === spec ? '' : `; --force sets ${spec}`})`);
    return current;
  }
  if (pkg.dependencies?.downline !== undefined) delete pkg.dependencies.downline;
  pkg.devDependencies = { ...pkg.devDependencies, downline: spec };
  await writeFile(path, `${JSON.stringify(pkg, null, 2)}\n`);
  done.wrote.push(`package.json (downline ${spec})`);
  return spec;
}

/** .gitignore: append the lines it lacks, never rewrite the file. */
async function mergeGitignore(path: string, done: Outcome): Promise<void> {
  const text = (await exists(path)) ? await readFile(path, 'utf8') : undefined;
  if (text === undefined) {
    await writeFile(path, SCAFFOLD_GITIGNORE);
    done.wrote.push('.gitignore');
    return;
  }
  const present = new Set(text.split(/\r?\n/).map((l) => l.trim()));
  const missing = SCAFFOLD_GITIGNORE.split('\n').filter((l) => l && !l.startsWith('#') && !present.has(l) && !present.has(l.replace(/\/$/, '')));
  if (missing.length === 0) {
    done.kept.push('.gitignore (already complete)');
    return;
  }
  await writeFile(path, `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}# added by downline init\n${missing.join('\n')}\n`);
  done.wrote.push(`.gitignore (added ${missing.join(', ')})`);
}

const WORKFLOW = '.github/workflows/downline.yml';

/**
 * `init --roster` in a repository that has a config already. The untouched scaffold config gives its
 * example assignments to the roster (the same contract in both is an error); an edited config keeps
 * its assignments and the roster starts with its header only (example rows could name producers or a
 * carrier it does not have). An existing workflow is made to read the roster in place when each
 * downline line takes no path yet; otherwise init names the lines to change, never guessing a path.
 */
async function rosterFiles(root: string, force: boolean, done: Outcome): Promise<Record<string, string>> {
  const files: Record<string, string> = { 'downline.yaml': rosterConfig(SCAFFOLD_CONFIG), [ROSTER_NAME]: SCAFFOLD_ROSTER, [WORKFLOW]: rosterWorkflow(SCAFFOLD_WORKFLOW) };
  if (force) return files;
  const read = (name: string) => readFile(join(root, name), 'utf8').catch(() => undefined);
  const [config, roster, workflow] = [await read('downline.yaml'), await read(ROSTER_NAME), await read(WORKFLOW)];
  if (config !== undefined && roster === undefined) {
    delete files['downline.yaml'];
    if (config === SCAFFOLD_CONFIG) {
      await writeFile(join(root, 'downline.yaml'), rosterConfig(SCAFFOLD_CONFIG));
      done.wrote.push(`downline.yaml (its example assignments moved to ${ROSTER_NAME})`);
    } else {
      files[ROSTER_NAME] = EMPTY_ROSTER;
      done.kept.push(`downline.yaml (exists; keeps its assignments: ${ROSTER_NAME} starts with its header row only, move rows there as you like — the same contract in both files is an error)`);
    }
  }
  if (workflow !== undefined) {
    delete files[WORKFLOW];
    const lacking = linesLackingRoster(workflow);
    if (lacking.length === 0) done.kept.push(`${WORKFLOW} (exists${workflow.includes(ROSTER_NAME) ? `; reads ${ROSTER_NAME} already` : `; runs no downline validate or plan: give them ${ROSTER_PATHS}`})`);
    else if (lacking.every((line) => /downline (?:validate|plan|apply)(?:\s+--|\s*$|\s*[>|&;])/.test(line))) {
      await writeFile(join(root, WORKFLOW), rosterWorkflow(workflow));
      done.wrote.push(`${WORKFLOW} (its validate and plan steps now read ${ROSTER_PATHS})`);
    } else {
      done.kept.push(`${WORKFLOW} (exists and names its own paths: add ${ROSTER_NAME} to ${lacking.map((l) => `\`${l}\``).join(', ')})`);
    }
  }
  return files;
}

/**
 * Scaffold a config repository, or add what is missing to an existing one: the config and the
 * workflow are written when absent (replaced with --force); package.json and .gitignore are merged.
 */
export async function initCommand(dir: string | undefined, options: { force?: boolean; from?: string; roster?: boolean }, io: Io): Promise<number> {
  const root = resolve(io.cwd, dir ?? '.');
  if ((await stat(root).catch(() => undefined))?.isFile()) throw new UserError(`${dir} is a file; give a directory`);
  const spec = await dependencySpec(options.from, root, io.cwd);
  await mkdir(root, { recursive: true });
  const done: Outcome = { wrote: [], kept: [] };
  const files = options.roster
    ? await rosterFiles(root, Boolean(options.force), done)
    : { 'downline.yaml': SCAFFOLD_CONFIG, '.github/workflows/downline.yml': SCAFFOLD_WORKFLOW };
  for (const [name, text] of Object.entries(files)) {
    const path = join(root, name);
    if ((await exists(path)) && !options.force) {
      done.kept.push(`${name} (exists; --force replaces it)`);
      continue;
    }
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    done.wrote.push(name);
  }
  const pinned = await mergePackageJson(join(root, 'package.json'), spec, `${basename(root).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'contracting'}-config`, Boolean(options.force), done);
  await mergeGitignore(join(root, '.gitignore'), done);
  const at = dir ? `${dir}/` : '';
  for (const line of done.wrote) io.stdout.write(`wrote ${at}${line}\n`);
  for (const line of done.kept) io.stdout.write(`left alone ${at}${line}\n`);
  io.stdout.write([
    'Next:',
    `  npm install          pins downline (${pinned}) in package-lock.json; commit package.json and package-lock.json`,
    `  npx downline validate${options.roster ? ` ${ROSTER_PATHS}` : ''}, then npx downline plan${options.roster ? ` ${ROSTER_PATHS}` : ''} --env local to try it against the emulator`,
    '  add the repository secrets AGENTSYNC_CLIENT_ID and AGENTSYNC_CLIENT_SECRET for the workflow',
    '',
  ].join('\n'));
  return 0;
}
