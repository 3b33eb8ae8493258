import { describe, expect, it } from 'vitest';
import { annotation } from '../../../src/render/diagnostics.js';
import { markdownText, visible } from '../../../src/render/escape.js';

describe('escaping for each output', () => {
  it('workflow commands: %, CR, LF in the message; also : and , in properties', () => {
    const line = annotation({ severity: 'error', message: '100% wrong\r\n::error::forged', source: { file: 'conf/a,line=9:b.yaml', line: 3, column: 4 } });
    expect(line).toBe('::error file=conf/a%2Cline=9%3Ab.yaml,line=3,col=4::100%25 wrong%0D%0A::error::forged');
  });

  it('terminal: controls, C1 and bidi overrides become visible escapes; ordinary text is untouched', () => {
    expect(visible('a\u001b[2Kb\u009bc\u202ed\te — ok')).toBe('a\\u001b[2Kb\\u009bc\\u202ed\\u0009e — ok');
  });

  it('markdown prose: HTML and markdown punctuation render as text', () => {
    expect(markdownText('<!-- [x](y) *z* | `w`')).toBe('&lt;\\!\\-\\- \\[x\\]\\(y\\) \\*z\\* \\| \\`w\\`');
  });
});
