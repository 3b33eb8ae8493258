import { describe, expect, it } from 'vitest';
import { example, ROOT, run } from '../../helpers/run.js';

describe('examples', () => {
  it.each(['quickstart', 'agency', 'split', 'roster'])('%s validates', async (name) => {
    const result = await run(['validate', example(name)], { cwd: ROOT });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Valid: /);
  });

  it('validate makes no network request and needs no credentials', async () => {
    const result = await run(['validate', example('agency')], { cwd: ROOT, env: { CI: 'true' } });
    expect(result.code).toBe(0);
  });
});
