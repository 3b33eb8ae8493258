import { describe, expect, it } from 'vitest';
import { createStyle, wantsColor } from '../../../src/render/style.js';
import { run, example } from '../../helpers/run.js';

describe('colour', () => {
  it.each([
    [{}, true, true, true],
    [{}, false, true, false],
    [{ NO_COLOR: '1' }, true, true, false],
    [{ FORCE_COLOR: '1' }, false, true, true],
    [{ FORCE_COLOR: '0' }, true, true, false],
    [{ FORCE_COLOR: '1' }, true, false, false],
  ])('env %o, TTY %s, --color %s → %s', (env, tty, flag, expected) => {
    expect(wantsColor(env, tty, flag)).toBe(expected);
  });

  it('styles only when asked', () => {
    expect(createStyle(true).create('+')).toBe('\u001b[32m+\u001b[39m');
    expect(createStyle(false).create('+')).toBe('+');
  });

  it('validate output carries ANSI codes only with colour on', async () => {
    const bad = example('quickstart').replace('quickstart', 'does-not-exist');
    expect((await run(['validate', bad], { env: { FORCE_COLOR: '1' } })).stderr).toContain('\u001b[');
    expect((await run(['validate', bad, '--no-color'], { env: { FORCE_COLOR: '1' } })).stderr).not.toContain('\u001b[');
  });
});
