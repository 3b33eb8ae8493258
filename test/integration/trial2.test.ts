/**
 * Defects found by the second first-use trial (FINDINGS2.md), each reproduced as the trial met it:
 * the CLI in-process against the emulator, asserting exit codes, the bytes printed and what the
 * account received.
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envFor, useSandbox, writes } from '../helpers/emulator.js';
import { example, run } from '../helpers/run.js';

describe('trial2 findings', () => {
  const sandbox = useSandbox();
  const downline = (args: string[], env: Record<string, string> = {}) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em, env) });
  const write = (name: string, text: string | Buffer) => writeFile(join(sandbox.dir.path, name), text);

  it('A: a YAML file that is not UTF-8 is an error at its first bad byte, never a garbled name sent to the API', async () => {
    // "café" saved as Windows-1252 / Latin-1: é is the single byte 0xE9.
    await write('latin1.yaml', Buffer.concat([Buffer.from('version: 1\ncarriers:\n  - name: caf'), Buffer.from([0xe9]), Buffer.from('\n    naic: "1"\n')]));
    const validate = await downline(['validate', 'latin1.yaml']);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toContain("latin1.yaml:3:14: error: the file is not UTF-8 text (save it again with the UTF-8 encoding)");
    const apply = await downline(['apply', '--auto-approve', 'latin1.yaml']);
    expect(apply.code).toBe(1);
    expect(writes(sandbox.em)).toEqual([]);
    // A UTF-8 file with a byte-order mark still reads.
    await write('bom.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('version: 1\ncarriers:\n  - name: café\n    naic: "1"\n')]));
    expect((await downline(['validate', 'bom.yaml'])).code).toBe(0);
  });

  it('E: a file of several YAML documents says what to do in config terms, not which library function to call', async () => {
    await write('docs.yaml', 'version: 1\n---\nversion: 1\n');
    const result = await downline(['validate', 'docs.yaml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('docs.yaml:2:1: error: the file holds several YAML documents (a --- line starts another) (keep one document per file: remove the --- line, or split the documents into files of one directory)\nInvalid: 1 error, 0 warnings.\n');
  });

  it('L: names holding quotes are quoted as JSON strings in reference errors and their did-you-mean, so the quotes balance', async () => {
    await write('setup.yaml', `version: 1
carriers:
  - name: 'Say "Hi" Life'
    products:
      - { name: Term, lineOfBusiness: Life, commissionLevels: [{ name: L1, type: percent }] }
`);
    await write('producers.csv', 'npn,carrier,product,commissionLevel\n1001,"Say ""Hi"" Lif",Term,L1\n');
    const result = await downline(['validate', 'setup.yaml', 'producers.csv']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('producers.csv:2:2 (B2): error: carrier "Say \\"Hi\\" Lif" is not declared under carriers (did you mean "Say \\"Hi\\" Life"?)');
  });

  it('M: a ";"-separated CSV, an empty directory and an unlisted variable beside a variables: list each get a hint that fits', async () => {
    await write('semi.csv', 'npn;carrier;product;commissionLevel\n1001;Acme;Term;L1\n');
    const semi = await downline(['validate', 'semi.csv']);
    expect(semi.stderr).toBe('semi.csv:1:1 (A1): error: row 1 is one column whose names are separated by ";", not commas (save the roster as CSV with commas: Excel\'s "CSV UTF-8 (Comma delimited)")\nInvalid: 1 error, 0 warnings.\n');
    await mkdir(join(sandbox.dir.path, 'empty'));
    const empty = await downline(['validate', 'empty']);
    expect(empty.stderr).toBe('error: empty: the directory holds no config file (.yaml, .yml) or roster (.csv, .xlsx) (add one, or pass the files themselves)\nInvalid: 1 error, 0 warnings.\n');
    await write('vars.yaml', 'version: 1\nvariables: [ORG, FYV]\ncarriers:\n  - name: "C ${env:NOPE}"\n');
    const vars = await downline(['validate', 'vars.yaml'], { ORG: 'x', FYV: '1' });
    expect(vars.stderr).toContain('vars.yaml:4:11: error: environment variable NOPE is not listed under variables: (add NOPE to this file\'s variables: [ORG, FYV] to read it; write $${ for a literal ${)');
  });

  it('M: a file named .xlsx that is no workbook says so, without the zip library\'s advice', async () => {
    await write('fake.xlsx', 'hello\n');
    const result = await downline(['validate', 'fake.xlsx']);
    expect(result.stderr).toBe('fake.xlsx:1:1: error: cannot read the workbook: the file is not an .xlsx workbook (an .xlsx is a zip archive) (save it again as an Excel workbook (.xlsx), or as CSV)\nInvalid: 1 error, 0 warnings.\n');
  });

  it('M: a date in another form is called that, not "not a real date"', async () => {
    await write('setup.yaml', 'version: 1\ncarriers:\n  - name: Acme\n    products:\n      - { name: Term, lineOfBusiness: Life, commissionLevels: [{ name: L1, type: percent }] }\n');
    await write('producers.csv', 'npn,carrier,product,commissionLevel,effective\n1001,Acme,Term,L1,1/15/2027\n1002,Acme,Term,L1,2027-02-30\n');
    const result = await downline(['validate', 'setup.yaml', 'producers.csv']);
    expect(result.stderr).toContain('producers.csv:2:5 (E2): error: effective "1/15/2027" is not a date in the form YYYY-MM-DD (write YYYY-MM-DD, e.g. 2027-01-01)');
    expect(result.stderr).toContain('producers.csv:3:5 (E3): error: effective "2027-02-30" is not a real date (write YYYY-MM-DD, e.g. 2027-01-01)');
  });

  it('H: a saved plan that is not JSON is an error at its line and column, saying how to make one', async () => {
    await write('bad.json', '{\n  "formatVersion": 1,\n  nope\n}\n');
    const result = await downline(['apply', '--plan', 'bad.json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: bad.json:3:3: not a saved plan: the file is not JSON (make it with downline plan --out bad.json)\n');
    expect(sandbox.em.log).toEqual([]);
  });

  it('I: two Turris invitations whose e-mails differ only in case are one key (declared twice), never two invitations to one contact', async () => {
    await write('turris.yaml', `version: 1
turris:
  invites:
    - downstreamEntityName: Bayou Agency
      category: agency
      contact: { firstName: Bo, lastName: Lee, email: bo@bayou.example }
      preContractReview: true
    - downstreamEntityName: Bayou Agency LLC
      category: agency
      contact: { firstName: Bo, lastName: Lee, email: BO@Bayou.example }
      preContractReview: true
`);
    const validate = await downline(['validate', 'turris.yaml']);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toContain('turris.yaml:10:16: error: Turris invite "BO@Bayou.example" is declared twice (first declared at turris.yaml:6:16; remove one or rename it)');
    expect((await downline(['apply', '--auto-approve', 'turris.yaml'])).code).toBe(1);
    expect(writes(sandbox.em)).toEqual([]);
  });

  it('C: doctor, given an organization the account cannot see (the config\'s agency), could not check the Hierarchies endpoints: no assumption differs, exit 0', async () => {
    // The quick-start's agency.organizationId is AGENTSYNC_ORG_ID: an id that is no organization of this account.
    await copyFile(join(example('quickstart'), 'downline.yaml'), join(sandbox.dir.path, 'downline.yaml'));
    expect((await downline(['apply', '--auto-approve'])).code).toBe(0);
    const result = await downline(['doctor', '--format', 'json']);
    const check = (JSON.parse(result.stdout) as { checks: Array<{ id: string; status: string; seen: string }> }).checks.find((c) => c.id === 'hierarchies');
    expect(check).toEqual(expect.objectContaining({ status: 'could-not-check',
      seen: `GET /v1/organizations/${envFor(sandbox.em).AGENTSYNC_ORG_ID}/productHierarchies → 404: the organization from the config's agency.organizationId is not one this account can see, so the Hierarchies endpoints were not read (pass --org with an organization id of this account, e.g. a carrier's id)` }));
    expect(result.code).toBe(0);
  });

  it('D: with --since, the not-verified note says the fields are unchanged since REF, not "plan with --since"', async () => {
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd: sandbox.dir.path, encoding: 'utf8' });
    git('init', '-q');
    await write('downline.yaml', `version: 1
carriers:
  - name: Acme
    uplineFirmName: Acme Holdings
    products:
      - { name: Term, lineOfBusiness: Life, commissionLevels: [{ name: L1, type: percent, firstYearValue: 50 }] }
`);
    git('add', 'downline.yaml');
    git('commit', '-qm', 'base');
    expect((await downline(['apply', '--auto-approve'])).code).toBe(0);
    const without = await downline(['plan']);
    expect(without.stdout).toContain('Plan with --since <git base> to write the ones edited since, or --push-unverified to write them all.');
    const note = '1 object(s) declare fields the API does not read back: downline cannot tell whether the live account holds those values. '
      + 'Unchanged since HEAD, they are not written; --push-unverified writes them all.';
    const text = await downline(['plan', '--since', 'HEAD']);
    expect(text.stdout).toContain(note);
    expect(text.stdout).not.toContain('Plan with --since');
    const markdown = await downline(['plan', '--since', 'HEAD', '--format', 'markdown', '--out', 'plan.json']);
    expect(markdown.stdout).toContain(`> [!IMPORTANT]\n> Nothing to write in the fields downline can read back. ${note}`);
    // `show` of the saved plan says the same.
    expect((await downline(['show', 'plan.json'])).stdout).toContain(note);
  });

  it('J: plan --out, export --out and export --roster into a missing directory are refused before any request, naming the option', async () => {
    await copyFile(join(example('quickstart'), 'downline.yaml'), join(sandbox.dir.path, 'downline.yaml'));
    const cases: Array<[string[], string]> = [
      [['plan', '--out', 'missing/plan.json'], 'error: --out missing/plan.json: cannot write the saved plan there: missing is not a directory (choose another path)'],
      [['export', '--out', 'missing/setup.yaml'], 'error: --out missing/setup.yaml: cannot write the export there: missing is not a directory (choose another path)'],
      [['export', '--roster', 'missing/producers.csv'], 'error: --roster missing/producers.csv: cannot write the roster there: missing is not a directory (choose another path)'],
      [['plan', '--out', '.'], 'error: --out .: cannot write the saved plan there: it is a directory (choose another path)'],
    ];
    for (const [args, message] of cases) {
      const result = await downline(args);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`${message}\n`);
    }
    expect(sandbox.em.log).toEqual([]);
  });

  it('F: every file the generated workflow writes into the checkout is in the .gitignore init writes', async () => {
    const repo = join(sandbox.dir.path, 'repo');
    await mkdir(repo);
    expect((await run(['init'], { cwd: repo })).code).toBe(0);
    const workflow = await readFile(join(repo, '.github/workflows/downline.yml'), 'utf8');
    const written = new Set([...workflow.matchAll(/(?:--out|--report|2?>)\s+([\w.-]+\.(?:json|md|err))\b/g)].map((m) => m[1]));
    expect([...written].sort()).toEqual(['adopt.md', 'drift.md', 'due-report.json', 'due.json', 'plan.err', 'plan.json', 'plan.md', 'report.json']);
    const ignored = (await readFile(join(repo, '.gitignore'), 'utf8')).split('\n');
    expect([...written].filter((f) => !ignored.includes(f))).toEqual([]);
  });

  it('K: refused client credentials say which variables to check, and never echo the secret', async () => {
    await copyFile(join(example('quickstart'), 'downline.yaml'), join(sandbox.dir.path, 'downline.yaml'));
    const agentsync = await downline(['plan'], { AGENTSYNC_CLIENT_SECRET: 'wr0ng-secret' });
    expect(agentsync.code).toBe(1);
    expect(agentsync.stderr).toBe('error: POST /oauth2/token → 401: invalid_client (the client credentials were refused: check AGENTSYNC_CLIENT_ID and AGENTSYNC_CLIENT_SECRET for --env sandbox)\n');
    await write('turris.yaml', `version: 1
turris:
  invites:
    - { downstreamEntityName: X, category: agency, contact: { firstName: A, lastName: B, email: x@x.example }, preContractReview: true }
`);
    const turris = await downline(['plan', 'turris.yaml'], { TURRIS_CLIENT_SECRET: 'wr0ng-secret' });
    expect(turris.code).toBe(1);
    expect(turris.stderr).toMatch(/^error: POST \/turris\/v1\/auth\/jwt → 401: .* \(the client credentials were refused: check TURRIS_CLIENT_ID and TURRIS_CLIENT_SECRET for --env sandbox\)\n$/);
    expect(agentsync.stderr + turris.stderr).not.toContain('wr0ng');
    const json = await downline(['plan', '--format', 'json'], { AGENTSYNC_CLIENT_SECRET: 'wr0ng-secret' });
    expect(JSON.parse(json.stdout).diagnostics).toEqual([{ severity: 'error', message: 'POST /oauth2/token → 401: invalid_client',
      hint: 'the client credentials were refused: check AGENTSYNC_CLIENT_ID and AGENTSYNC_CLIENT_SECRET for --env sandbox' }]);
  });

  it('G: apply PLAN.json PATH is apply --plan PLAN.json PATH, never the saved plan read as a config file', async () => {
    await copyFile(join(example('quickstart'), 'downline.yaml'), join(sandbox.dir.path, 'setup.yaml'));
    expect((await downline(['plan', 'setup.yaml', '--out', 'plan.json'])).code).toBe(0);
    const result = await downline(['apply', 'plan.json', 'setup.yaml']);
    expect(result.stderr).not.toContain('unknown key');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Apply complete: 7 created');
    expect((await downline(['plan', 'setup.yaml', '--detailed-exitcode'])).code).toBe(0);
  });
});

describe('trial2 findings: an interrupted apply', () => {
  // Slow enough to stop an apply between its writes.
  const sandbox = useSandbox({ latency: 60 });

  it('B: the report says "interrupted" (not "applied") with the reason, and the summary asks for no fix of failures that did not happen', async () => {
    const npns = Array.from({ length: 8 }, (_, i) => String(6000 + i));
    await writeFile(join(sandbox.dir.path, 'downline.yaml'), `version: 1
carriers:
  - name: Acme
    products:
      - name: Term
        lineOfBusiness: Life
        commissionLevels: [{ name: L1, type: percent }]
assignments:
${npns.map((n) => `  - { npn: "${n}", carrier: Acme, product: Term, commissionLevel: L1 }`).join('\n')}
`);
    const controller = new AbortController();
    const pending = run(['apply', '--auto-approve', '--concurrency', '1', '--report', 'report.json', '--format', 'json'], { cwd: sandbox.dir.path, env: envFor(sandbox.em), signal: controller.signal });
    while (!sandbox.em.log.some((r) => r.method === 'POST' && r.path.endsWith('/contractAssignments'))) await new Promise((r) => setTimeout(r, 5));
    controller.abort('SIGINT');
    const r = await pending;
    expect(r.code).toBe(130);
    const report = JSON.parse(await readFile(join(sandbox.dir.path, 'report.json'), 'utf8'));
    const notStarted = report.summary.skipped;
    expect(notStarted).toBeGreaterThan(0);
    expect(report.status).toBe('interrupted');
    expect(report.reasons).toEqual([`interrupted (SIGINT): ${notStarted} change(s) not started`]);
    // --format json prints the same document on stdout.
    expect(JSON.parse(r.stdout)).toEqual(report);
    expect(r.stderr).toContain(`Apply interrupted: ${report.summary.created} created, 0 updated, 0 deleted, 0 failed, ${notStarted} skipped.`);
    expect(r.stderr).not.toContain('Fix the failures');
  });
});
