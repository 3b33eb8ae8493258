import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, run } from '../../helpers/run.js';

const DIR = join(ROOT, 'test/fixtures/broken');
const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

describe('broken configs: one defect each, located exactly', () => {
  it('has a corpus of at least 30 fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
  });

  it.each(fixtures)('%s is rejected at its expected line and column', async (name) => {
    const header = /^# expect: (\d+):(\d+) (.*)$/.exec(readFileSync(join(DIR, name), 'utf8').split('\n')[0]);
    expect(header, 'fixture needs an "# expect: LINE:COL message" header').not.toBeNull();
    const [, line, column, message] = header!;
    const result = await run(['validate', '--format', 'json', join(DIR, name)], { cwd: ROOT });
    expect(result.code).toBe(1);
    const errors = (JSON.parse(result.stdout) as { diagnostics: Array<{ severity: string; message: string; source?: { file: string; line: number; column: number } }> })
      .diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].source).toEqual({ file: `test/fixtures/broken/${name}`, line: Number(line), column: Number(column) });
    expect(errors[0].message.startsWith(message)).toBe(true);
  });
});
