import { access, constants, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UserError } from './io.js';

/**
 * Why a file a command will write (--out, --roster, --report) cannot be written, or undefined. Checked
 * before the first request, so a run that read a whole account never ends in ENOENT.
 */
export async function unwritable(file: string, cwd: string): Promise<string | undefined> {
  const path = resolve(cwd, file);
  if (!(await stat(dirname(path)).catch(() => undefined))?.isDirectory()) return `${dirname(file)} is not a directory`;
  if ((await stat(path).catch(() => undefined))?.isDirectory()) return 'it is a directory';
  const writable = (p: string) => access(p, constants.W_OK).then(() => true, (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
  if (!(await writable(dirname(path))) || !(await writable(path))) return 'permission denied';
  return undefined;
}

/** Refuses `--option FILE` (what: the document it would hold) before the command reads anything. */
export async function checkOutFile(option: string, file: string | undefined, what: string, cwd: string): Promise<void> {
  const why = file === undefined ? undefined : await unwritable(file, cwd);
  if (why) throw new UserError(`${option} ${file}: cannot write ${what} there: ${why} (choose another path)`);
}
