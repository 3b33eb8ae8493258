import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run, tempDir } from '../helpers/run.js';

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  dir = await tempDir();
  mkdirSync(join(dir.path, 'config'));
  writeFileSync(join(dir.path, 'config', 'downline.yaml'), 'version: 1\ncarriers:\n  - name: Acme\n    naic: "12345"\n');
});
afterEach(() => dir.cleanup());

const at = (sub: string, ...args: string[]) => run([...args, '--env', 'local'], { cwd: join(dir.path, sub) });

describe('--env local keeps one account per repository, whatever the working directory', () => {
  it('in a git repository: state at the repository root; plan from inside config/ and export see it', async () => {
    mkdirSync(join(dir.path, '.git'));
    expect((await at('.', 'apply', '--auto-approve', 'config/')).code).toBe(0);
    expect(existsSync(join(dir.path, '.downline', 'local-state.json'))).toBe(true);
    expect(existsSync(join(dir.path, 'config', '.downline'))).toBe(false);
    const plan = await at('config', 'plan', '--detailed-exitcode', '.');
    expect(plan.code).toBe(0);
    expect((await at('config', 'export')).stdout).toContain('name: Acme');
  });

  it('outside git: state beside the config, the same for `plan config/` and `cd config && plan .`', async () => {
    expect((await at('.', 'apply', '--auto-approve', 'config/')).code).toBe(0);
    expect(existsSync(join(dir.path, 'config', '.downline', 'local-state.json'))).toBe(true);
    expect((await at('config', 'plan', '--detailed-exitcode', '.')).code).toBe(0);
    expect((await at('config', 'plan', '--detailed-exitcode')).code).toBe(0);
    // The notice names the file actually used.
    const notice = await run(['plan', 'config/downline.yaml'], { cwd: dir.path });
    expect(notice.stderr).toContain('using the local emulator (state in config/.downline/local-state.json)');
  });
});
