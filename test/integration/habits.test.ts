import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { run, tempDir } from '../helpers/run.js';

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  dir = await tempDir();
  writeFileSync(join(dir.path, 'downline.yaml'), 'version: 1\n');
});
afterEach(() => dir.cleanup());

describe('Terraform habits', () => {
  it('a long option with one dash gets "did you mean" with two dashes', async () => {
    const apply = await run(['apply', '-auto-approve'], { cwd: dir.path });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain("error: unknown option '-auto-approve' (did you mean --auto-approve? long options take two dashes)");
    const plan = await run(['plan', '-env=local'], { cwd: dir.path });
    expect(plan.stderr).toContain('(did you mean --env?');
    // A name that is no option of the command is left to commander's own message.
    expect((await run(['plan', '-nope'], { cwd: dir.path })).stderr).toContain("error: unknown option '-nope'\n");
  });

  it('`downline version` prints the version like --version', async () => {
    const result = await run(['version']);
    expect(result).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    expect((await run(['--version'])).stdout).toBe(`${VERSION}\n`);
  });

  it.each(['false', '0', '', 'FALSE'])('CI=%j is not CI: no --env falls back to local', async (ci) => {
    const result = await run(['plan'], { cwd: dir.path, env: { CI: ci } });
    expect(result.stderr).toContain('no --env given; using the local emulator');
    expect(result.code).toBe(0);
  });

  it.each(['true', '1'])('CI=%s is CI: no --env is an error', async (ci) => {
    const result = await run(['plan'], { cwd: dir.path, env: { CI: ci } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no environment chosen');
  });
});
