/**
 * `init --roster`: the producers live in a spreadsheet beside the YAML. The scaffold's YAML keeps the
 * setup, `producers.csv` holds one row per producer contract, and every workflow step that reads
 * the config names both files (`apply --plan` re-reads the paths its saved plan recorded).
 */

export const ROSTER_NAME = 'producers.csv';
/** What the scaffold's commands read with a roster (the default is downline.yaml alone). */
export const ROSTER_PATHS = `downline.yaml ${ROSTER_NAME}`;

export const SCAFFOLD_ROSTER = `npn,carrier,product,commissionLevel,status,upline,states
10000001,Example Life Insurance Company,Term Life 20,Agency,APPROVED,,TX OK
10000002,Example Life Insurance Company,Term Life 20,Street,APPROVED,10000001,TX
10000004,Example Life Insurance Company,Term Life 20,Street,APPROVED,10000001,OK
`;

/** A roster with no producers: what an existing, edited config gets (its assignments stay where they are). */
export const EMPTY_ROSTER = `${SCAFFOLD_ROSTER.split('\n')[0]}\n`;

/** The scaffold's `assignments:` block gives way to the roster (the same contract declared twice is an error). */
export function rosterConfig(config: string): string {
  return config.replace(/^assignments:\n(?:[ #].*\n)+/m,
    `# assignments: in ${ROSTER_NAME}, one row per producer contract (npn, carrier, product, commissionLevel,\n# status, upline, states; email, firstName, lastName make a row an invitation). See the README's "Rosters".\n`);
}

/** Every validate / plan / apply of the workflow reads the roster too (a saved plan's apply re-reads what it recorded). */
export function rosterWorkflow(workflow: string): string {
  return workflow.replace(/(--no-install downline (?:validate|plan|apply))(?![^\n]*(?:--plan |${ROSTER_NAME}))/g, `$1 ${ROSTER_PATHS}`);
}

/** The workflow's downline validate / plan / apply lines that do not read the roster yet. */
export function linesLackingRoster(workflow: string): string[] {
  return workflow.split('\n').filter((line) => /--no-install downline (?:validate|plan|apply)/.test(line) && !line.includes(ROSTER_NAME) && !/--plan /.test(line)).map((l) => l.trim());
}
