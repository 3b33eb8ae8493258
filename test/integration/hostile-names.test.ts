import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, envFor, token, useSandbox } from '../helpers/emulator.js';
import { example, run } from '../helpers/run.js';

/**
 * Live data is data: names typed into the portal reach plans, pull-request comments, terminals,
 * workflow logs and exported config. None of them may act as markup, commands or variables.
 */
const sandbox = useSandbox();
const downline = (...args: string[]) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em) });

const PRODUCT = 'Term Life — Standard';

async function productId(): Promise<string> {
  return sandbox.em.store.data.products.find((p) => p.name === PRODUCT)!.id;
}

// Closes the diff fence, opens an HTML comment, starts a workflow command, erases terminal lines.
const HOSTILE = 'Evil\n```\n<!--\n::error file=x.yaml::forged\r\n\u001b[2K\u001b[1A\u009b2K\u202e <b>x<b> | `y` %0A';
const SHOWN = 'Evil\\u000a```\\u000a<!--\\u000a::error file=x.yaml::forged\\u000d\\u000a\\u001b[2K\\u001b[1A\\u009b2K\\u202e <b>x<b> | `y` %0A';
/** Raw control characters other than the line feeds of the output's own lines. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/;

/**
 * The quick-start account plus a hostile product (deleted by pruning, before an innocent one) with
 * a hostile level and two contracts of one producer on it, and a hostile unmanaged level.
 */
async function hostileAccount(): Promise<{ carrierId: string }> {
  expect((await downline('apply', '--auto-approve', example('quickstart'))).code).toBe(0);
  const t = await token(sandbox.em);
  const carrierId = sandbox.em.store.data.carriers[0].id;
  const lob = sandbox.em.store.data.products[0].lineOfBusinessId;
  const evil = (await call(sandbox.em, t, 'POST', `/v1/customers/carriers/${carrierId}/products`, { name: HOSTILE, lineOfBusinessId: lob })).body as { id: string };
  await call(sandbox.em, t, 'POST', `/v1/customers/carriers/${carrierId}/products`, { name: 'Victim Product', lineOfBusinessId: lob });
  const level = (await call(sandbox.em, t, 'POST', `/v1/customers/${evil.id}/commissionLevels`, { name: HOSTILE, type: 'Percent', firstYearValue: 1 })).body as { id: string };
  // A small hierarchy on the hostile product, so its level name reaches the markdown plan's chart too.
  await call(sandbox.em, t, 'POST', '/v1/customers/contractAssignments', { npn: '15645598', productId: evil.id, commissionLevelId: level.id });
  for (let i = 0; i < 2; i++) await call(sandbox.em, t, 'POST', '/v1/customers/contractAssignments', { npn: '15645599', productId: evil.id, commissionLevelId: level.id, uplineNpn: '15645598' });
  await call(sandbox.em, t, 'POST', `/v1/customers/${await productId()}/commissionLevels`, { name: HOSTILE, type: 'Percent', firstYearValue: 2 });
  const config = readFileSync(example('quickstart') + '/downline.yaml', 'utf8');
  writeFileSync(join(sandbox.dir.path, 'downline.yaml'), `${config}\nprune: { products: true }\n`);
  return { carrierId };
}

describe('hostile live names in every output', () => {
  it('text: controls shown as escapes, never sent to the terminal (with colour too)', async () => {
    await hostileAccount();
    for (const env of [{}, { FORCE_COLOR: '1' }]) {
      const plan = await run(['plan'], { cwd: sandbox.dir.path, env: { ...envFor(sandbox.em), ...env } });
      expect(plan.code).toBe(0);
      expect(plan.stdout).toContain(`- product "Acme Insurance Company / ${SHOWN}"`);
      expect(plan.stdout).toContain(`? commission level "Acme Insurance Company / ${PRODUCT} / ${SHOWN}"`);
      // The only escape sequences are the colours chalk writes.
      expect(plan.stdout.replace(/\u001b\[\d+m/g, '')).not.toMatch(RAW_CONTROL);
    }
  });

  it('markdown: the diff fence stays closed, no HTML comment opens, every delete is visible', async () => {
    await hostileAccount();
    const md = (await downline('plan', '--format', 'markdown')).stdout;
    expect(md).not.toMatch(RAW_CONTROL);
    // Inside the diff fences `<!--` is text; outside them only the marker may open a comment.
    const prose = md.replace(/^```diff\n[^]*?^```$/gm, '');
    expect(prose.split('<!--')).toHaveLength(2);
    expect(md.startsWith('<!-- downline-plan -->\n')).toBe(true);
    const lines = md.split('\n');
    // The hierarchy chart's labels are entity-encoded: the hostile level name cannot end its fence either.
    expect(lines.filter((l) => l.startsWith('```'))).toEqual(['```mermaid', '```', '```diff', '```', '```diff', '```', '```diff', '```']);
    expect(md).toContain('(Evil#10;#96;#96;#96;#10;#60;#33;--#10;#58;#58;error file#61;x.yaml#58;#58;forged#13;#10;#27;#91;2K');
    const products = md.slice(md.indexOf('<summary>Products'), md.indexOf('</details>', md.indexOf('<summary>Products')));
    expect(products).toContain(`- product "Acme Insurance Company / ${SHOWN}"`);
    expect(products).toContain('- product "Acme Insurance Company / Victim Product"');
    expect(md).toContain('- commission level "Acme Insurance Company / Term Life — Standard / Evil\\\\u000a\\`\\`\\`\\\\u000a&lt;\\!\\-\\-');
    expect(md).toContain('&lt;b&gt;x&lt;b&gt; \\| \\`y\\` %0A');
  });

  it('json: the exact name as data, no raw control character in the document', async () => {
    await hostileAccount();
    const out = (await downline('plan', '--format', 'json')).stdout;
    expect(out.slice(0, -1)).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
    const doc = JSON.parse(out) as { changes: Array<{ identity: Record<string, string> }> };
    expect(doc.changes.some((c) => c.identity.product === HOSTILE)).toBe(true);
  });

  it('github: a name never starts a workflow command; annotations escape %, CR and LF', async () => {
    await hostileAccount();
    const plan = await downline('plan', '--format', 'github');
    // export has no github format (commander refuses it); its warnings go to stderr as text.
    const exported = await downline('export');
    for (const out of [plan.stdout, plan.stderr, exported.stderr]) {
      expect(out).not.toMatch(RAW_CONTROL);
      expect(out.split('\n').filter((l) => l.startsWith('::error file=x.yaml'))).toEqual([]);
    }
    const warningLine = exported.stderr.split('\n').find((l) => l.includes('the contract of 15645599'));
    expect(warningLine).toContain('Evil\\u000a```\\u000a<!--\\u000a::error file=x.yaml::forged\\u000d\\u000a\\u001b[2K');
    const annotations = plan.stdout.split('\n').concat(plan.stderr.split('\n')).filter((l) => l.startsWith('::'));
    for (const line of annotations) expect(line).not.toMatch(/[\r\n]/);
  });

  it('export YAML: controls as double-quoted escapes that read back as the same names', async () => {
    await hostileAccount();
    const exported = await downline('export', '--out', 'exported.yaml');
    expect(exported.code).toBe(0);
    const text = readFileSync(join(sandbox.dir.path, 'exported.yaml'), 'utf8');
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).toContain('name: "Evil\\n```\\n<!--\\n::error file=x.yaml::forged\\r\\n\\u001b[2K\\u001b[1A\\u009b2K\\u202e <b>x<b> | `y` %0A"');
    // The same names come back: nothing to change (the second, duplicate contract stays unmanaged).
    const plan = await downline('plan', 'exported.yaml', '--detailed-exitcode');
    expect(plan.stdout).toContain('Plan: 0 to create, 0 to update, 0 to delete, 1 unmanaged.');
    expect(plan.code).toBe(0);
  });

  it('hierarchy tree: product and level names escaped', async () => {
    const { carrierId } = await hostileAccount();
    const out = await downline('hierarchy', '--org', carrierId);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(SHOWN);
    expect(out.stdout).not.toMatch(RAW_CONTROL);
  });
});

describe('a live name that looks like a variable', () => {
  it('export → commit → plan → apply never reads, prints or sends the secret it names', async () => {
    expect((await downline('apply', '--auto-approve', example('quickstart'))).code).toBe(0);
    const secret = sandbox.em.credentials.clientSecret;
    const t = await token(sandbox.em);
    const hostile = '${env:AGENTSYNC_CLIENT_SECRET}';
    expect((await call(sandbox.em, t, 'POST', `/v1/customers/${await productId()}/commissionLevels`, { name: hostile, type: 'Percent', firstYearValue: 10 })).status).toBe(201);

    const exported = await downline('export', '--out', 'exported.yaml');
    expect(exported.code).toBe(0);
    const text = readFileSync(join(sandbox.dir.path, 'exported.yaml'), 'utf8');
    expect(text).toContain('name: $${env:AGENTSYNC_CLIENT_SECRET}');

    const plan = await downline('plan', 'exported.yaml', '--detailed-exitcode', '--verbose');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`commission level "Acme Insurance Company / ${PRODUCT} / ${hostile}"`);
    expect(plan.stdout).toContain('Plan: 0 to create, 0 to update, 0 to delete, 0 unmanaged.');

    // A reviewed change to that level: the PUT carries the literal name, never the secret.
    writeFileSync(join(sandbox.dir.path, 'exported.yaml'), text.replace(/(name: \$\$\{env:AGENTSYNC_CLIENT_SECRET\}\n\s+type: percent\n\s+firstYearValue: )10/, '$112'));
    const applied = await downline('apply', 'exported.yaml', '--auto-approve');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('1 updated');
    const level = sandbox.em.store.data.levels.find((l) => l.firstYearValue === 12)!;
    expect(level.name).toBe(hostile);
    for (const out of [exported, plan, applied]) expect(out.stdout + out.stderr).not.toContain(secret);
    expect(JSON.stringify(sandbox.em.store.data)).not.toContain(secret);
  });
});
