import { Chalk } from 'chalk';

/** Colour is injected into renderers so they stay pure and tests can render colourless output. */
export interface Style {
  create(text: string): string;
  update(text: string): string;
  remove(text: string): string;
  note(text: string): string;
  bold(text: string): string;
  error(text: string): string;
  warning(text: string): string;
}

export function createStyle(color: boolean): Style {
  const chalk = new Chalk({ level: color ? 1 : 0 });
  return {
    create: (t) => chalk.green(t),
    update: (t) => chalk.yellow(t),
    remove: (t) => chalk.red(t),
    note: (t) => chalk.dim(t),
    bold: (t) => chalk.bold(t),
    error: (t) => chalk.red.bold(t),
    warning: (t) => chalk.yellow.bold(t),
  };
}

/** NO_COLOR / FORCE_COLOR / --no-color / TTY, in that order of precedence. */
export function wantsColor(env: Record<string, string | undefined>, isTTY: boolean, flag: boolean): boolean {
  if (!flag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return isTTY;
}
