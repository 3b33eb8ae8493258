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

/** The scaffold's `assignments:` block gives way to the roster (the same contract declared twice is an error). */
export function rosterConfig(config: string): string {
  return config.replace(/^assignments:\n(?:[ #].*\n)+/m,
    `# assignments: in ${ROSTER_NAME}, one row per producer contract (npn, carrier, product, commissionLevel,\n# status, upline, states; email, firstName, lastName make a row an invitation). See the README's "Rosters".\n`);
}

/** Every validate / plan / apply of the workflow reads the roster too (a saved plan's apply re-reads what it recorded). */
export function rosterWorkflow(workflow: string): string {
  return workflow.replace(/(--no-install downline (?:validate|plan|apply))(?![^\n]*--plan )/g, `$1 ${ROSTER_PATHS}`);
}
