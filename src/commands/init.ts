import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { VERSION } from '../version.js';
import { type Io } from './io.js';

export const SCAFFOLD_CONFIG = `# yaml-language-server: $schema=./node_modules/downline/schemas/downline.schema.json
# downline: your AgentSync contracting setup as code.
#   downline validate                      check this file offline
#   downline plan --env sandbox            see what would change
#   downline apply --env sandbox           make it so (asks first)
version: 1
variables: [AGENTSYNC_ORG_ID]              # the only environment variables this file may read

# Who sends producer invitations (needed once you add invites).
agency:
  organizationId: \${env:AGENTSYNC_ORG_ID:-00000000-0000-4000-8000-000000000001}
  inviter: { firstName: Contracting, lastName: Team, email: contracting@example.com }

carriers:
  - name: Example Life Insurance Company   # the key: carrier names are unique
    naic: "12345"
    products:
      - name: Term Life 20
        lineOfBusiness: Life               # a lookup NAME, resolved at plan time
        annualization: Monthly
        commissionLevels:
          - { name: Street, type: percent, firstYearValue: 80, level: 1 }
          - { name: Agency, type: percent, firstYearValue: 95, level: 2 }

assignments:
  - npns: ["10000001", "10000002"]         # one entry, several producers on the same contract
    carrier: Example Life Insurance Company
    product: Term Life 20
    commissionLevel: Street
    status: APPROVED                       # set on create; later workflow progress is not reverted

# invites:
#   - producer: { npn: "10000003", email: new.producer@example.com, firstName: New, lastName: Producer }
#     contracts:
#       - { carrier: Example Life Insurance Company, product: Term Life 20, commissionLevel: Street, administrativeDivisions: [TX] }

# Deletes are off until you opt in, per kind, and guarded by --max-deletes / --max-delete-percent.
# prune: { products: false, commissionLevels: false, assignments: false }
`;

export const SCAFFOLD_GITIGNORE = `# downline's local emulator state
.downline/
plan.json
plan.md
report.json
`;

const CLI = `npx --yes downline@${VERSION}`;

/** The steps every job starts with. */
const SETUP = `      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
`;

/** The workflow `init` writes (also shipped as examples/github-actions/downline.yml). */
export const SCAFFOLD_WORKFLOW = `# downline: plan on pull requests (one comment, updated in place), apply on merge, daily drift check.
# Repository secrets: AGENTSYNC_CLIENT_ID, AGENTSYNC_CLIENT_SECRET (and TURRIS_CLIENT_ID, TURRIS_CLIENT_SECRET
# if you invite agencies through Turris). Repository variable: AGENTSYNC_ORG_ID.
name: downline

on:
  pull_request:
  push:
    branches: [main]
  schedule:
    - cron: "17 6 * * *"
  workflow_dispatch:

permissions:
  contents: read
  pull-requests: write

concurrency:
  group: downline-\${{ github.ref }}
  cancel-in-progress: false

env:
  AGENTSYNC_CLIENT_ID: \${{ secrets.AGENTSYNC_CLIENT_ID }}
  AGENTSYNC_CLIENT_SECRET: \${{ secrets.AGENTSYNC_CLIENT_SECRET }}
  TURRIS_CLIENT_ID: \${{ secrets.TURRIS_CLIENT_ID }}
  TURRIS_CLIENT_SECRET: \${{ secrets.TURRIS_CLIENT_SECRET }}
  AGENTSYNC_ORG_ID: \${{ vars.AGENTSYNC_ORG_ID }}

jobs:
  plan:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
${SETUP}      - name: Validate
        run: ${CLI} validate --format github
      - name: Plan
        run: |
          set +e
          ${CLI} plan --env production --format markdown --out plan.json --detailed-exitcode > plan.md
          code=$?
          cat plan.md >> "$GITHUB_STEP_SUMMARY"
          # 0: no changes, 2: changes to review; anything else is an error.
          if [ "$code" -ne 0 ] && [ "$code" -ne 2 ]; then exit "$code"; fi
      - name: Comment on the pull request (one comment, updated in place)
        env:
          GH_TOKEN: \${{ github.token }}
        run: |
          marker='<!-- downline-plan -->'
          comments="repos/\${{ github.repository }}/issues/\${{ github.event.pull_request.number }}/comments"
          id=$(gh api "$comments" --paginate --jq ".[] | select(.body | startswith(\\"$marker\\")) | .id" | head -n 1)
          if [ -n "$id" ]; then
            gh api -X PATCH "repos/\${{ github.repository }}/issues/comments/$id" -F body=@plan.md
          else
            gh api -X POST "$comments" -F body=@plan.md
          fi
      - uses: actions/upload-artifact@v4
        with:
          name: downline-plan
          path: plan.json

  apply:
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    environment: production
    steps:
${SETUP}      - name: Plan this commit
        run: |
          set +e
          ${CLI} plan --env production --out plan.json --detailed-exitcode
          code=$?
          if [ "$code" -ne 0 ] && [ "$code" -ne 2 ]; then exit "$code"; fi
      - name: Apply exactly that plan (refused if the account moved meanwhile)
        run: |
          if [ -f plan.json ]; then
            ${CLI} apply --env production --plan plan.json --report report.json
          else
            ${CLI} apply --env production --auto-approve --report report.json
          fi
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: downline-apply-report
          path: report.json

  drift:
    if: github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'
    runs-on: ubuntu-latest
    steps:
${SETUP}      - name: Drift check (fails when the live account differs from main)
        run: |
          set +e
          ${CLI} plan --env production --drift --format markdown --detailed-exitcode > drift.md
          code=$?
          cat drift.md >> "$GITHUB_STEP_SUMMARY"
          exit "$code"
`;

export const SCAFFOLD: Record<string, string> = {
  'downline.yaml': SCAFFOLD_CONFIG,
  '.gitignore': SCAFFOLD_GITIGNORE,
  '.github/workflows/downline.yml': SCAFFOLD_WORKFLOW,
};

const exists = (path: string) => access(path).then(() => true, () => false);

/** Scaffold a config repository; refuses to overwrite anything unless --force. */
export async function initCommand(dir: string | undefined, options: { force?: boolean }, io: Io): Promise<number> {
  const root = resolve(io.cwd, dir ?? '.');
  const taken = [];
  for (const name of Object.keys(SCAFFOLD)) if (await exists(join(root, name))) taken.push(name);
  if (taken.length > 0 && !options.force) {
    io.stderr.write(`error: ${taken.join(', ')} already exist${taken.length === 1 ? 's' : ''} in ${root}; nothing was written (use --force to overwrite)\n`);
    return 1;
  }
  for (const [name, text] of Object.entries(SCAFFOLD)) {
    await mkdir(dirname(join(root, name)), { recursive: true });
    await writeFile(join(root, name), text);
    io.stdout.write(`wrote ${join(dir ?? '.', name)}\n`);
  }
  io.stdout.write('Next: downline validate, then downline plan --env local to try it against the emulator.\n');
  return 0;
}
