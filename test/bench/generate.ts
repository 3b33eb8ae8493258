/** Synthetic accounts for benchmarks: 5 carriers × 4 products × 3 levels, and N producers. */
export const CARRIERS = 5;
export const PRODUCTS = 4;
export const LEVELS = 3;

export const npnOf = (i: number) => String(20_000_000 + i);

export interface Contract {
  carrier: string;
  product: string;
  level: string;
}

export function contractOf(i: number): Contract {
  const c = i % CARRIERS;
  const p = Math.floor(i / CARRIERS) % PRODUCTS;
  return { carrier: `Bench Carrier ${c}`, product: `Bench Product ${c}-${p}`, level: `Level ${(i % LEVELS) + 1}` };
}

function carriersYaml(): string {
  const out: string[] = ['carriers:'];
  for (let c = 0; c < CARRIERS; c++) {
    out.push(`  - name: Bench Carrier ${c}`, `    naic: "${10000 + c}"`, '    products:');
    for (let p = 0; p < PRODUCTS; p++) {
      out.push(`      - name: Bench Product ${c}-${p}`, '        lineOfBusiness: Life', '        commissionLevels:');
      for (let l = 1; l <= LEVELS; l++) out.push(`          - { name: Level ${l}, type: percent, firstYearValue: ${50 + l * 5}, level: ${l} }`);
    }
  }
  return out.join('\n');
}

const HEADER = `version: 1
agency:
  organizationId: 00000000-0000-4000-8000-00000000be4c
  inviter: { firstName: Bench, lastName: Admin, email: admin@bench.example }
`;

/** The catalog alone (carriers, products, levels): what a large book is seeded on. */
export const catalogConfig = (): string => `${HEADER}${carriersYaml()}\n`;

/** Onboarding N producers the way a config would say it: one invitation (one contract) each. */
export function inviteConfig(n: number): string {
  const invites = ['invites:'];
  for (let i = 0; i < n; i++) {
    const k = contractOf(i);
    invites.push(`  - producer: { npn: "${npnOf(i)}", email: p${i}@bench.example, firstName: P${i}, lastName: Bench }`,
      `    contracts: [{ carrier: ${k.carrier}, product: ${k.product}, commissionLevel: ${k.level} }]`);
  }
  return `${HEADER}${carriersYaml()}\n${invites.join('\n')}\n`;
}

/** N producers as contract assignments in the compact `npns:` form (how a large book is written). */
export function assignmentConfig(n: number): string {
  const groups = new Map<string, string[]>();
  for (let i = 0; i < n; i++) {
    const k = contractOf(i);
    const key = `${k.carrier}|${k.product}|${k.level}`;
    groups.set(key, [...(groups.get(key) ?? []), npnOf(i)]);
  }
  const out = ['assignments:'];
  for (const [key, npns] of groups) {
    const [carrier, product, level] = key.split('|');
    out.push(`  - npns: [${npns.map((x) => `"${x}"`).join(', ')}]`, `    carrier: ${carrier}`, `    product: ${product}`, `    commissionLevel: ${level}`, '    status: APPROVED');
  }
  return `${HEADER}${carriersYaml()}\n${out.join('\n')}\n`;
}

/** N producers in ONE `npns:` list: the worst case for an NPN uniqueness check (was quadratic in ajv). */
export function oneListConfig(n: number): string {
  const npns = Array.from({ length: n }, (_, i) => `"${npnOf(i)}"`).join(', ');
  const k = contractOf(0);
  return `${HEADER}${carriersYaml()}\nassignments:\n  - npns: [${npns}]\n    carrier: ${k.carrier}\n    product: ${k.product}\n    commissionLevel: ${k.level}\n`;
}

/** The carriers alone (a roster's setup file). */
export function setupConfig(): string {
  return `${HEADER}${carriersYaml()}\n`;
}

/** N producers as roster rows (one contract each, with states; every 10th a quoted multi-line cell). */
export function rosterRows(n: number): string[][] {
  const rows = [['npn', 'carrier', 'product', 'commissionLevel', 'status', 'states']];
  for (let i = 0; i < n; i++) {
    const k = contractOf(i);
    rows.push([npnOf(i), k.carrier, k.product, k.level, 'APPROVED', i % 10 === 0 ? 'CA,\nTX' : 'CA TX']);
  }
  return rows;
}

/** The same rows as CSV text (RFC 4180 quoting). */
export function rosterCsvText(n: number): string {
  const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  return `${rosterRows(n).map((row) => row.map(quote).join(',')).join('\r\n')}\r\n`;
}

/**
 * A distribution tree of N producers and depth 4 on one product (10 agencies → 100 managers → 1,000
 * team leads → the rest), each level paid less and covering fewer states than the one above; the
 * producers under one team lead share an `npns:` entry. Breaks no hierarchy rule.
 */
export function hierarchyConfig(n: number, rules = ''): string {
  const levels = [['Agency', 100, '[CA, FL, NY, TX]'], ['Manager', 90, '[CA, NY, TX]'], ['Lead', 80, '[CA, TX]'], ['Street', 70, '[CA]']] as const;
  const out = [`version: 1\n${rules}`, 'carriers:', '  - name: Tree Life', '    products:', '      - name: Tree Term', '        lineOfBusiness: Life', '        commissionLevels:'];
  levels.forEach(([name, fyv], i) => out.push(`          - { name: ${name}, type: percent, firstYearValue: ${fyv}, level: ${i + 1} }`));
  out.push('assignments:');
  const entry = (who: string, depth: number, upline?: string) => out.push(who, '    carrier: Tree Life', '    product: Tree Term', `    commissionLevel: ${levels[depth][0]}`,
    ...(upline ? [`    upline: "${upline}"`] : []), `    administrativeDivisions: ${levels[depth][2]}`);
  const widths = [10, 100, 1000];
  let next = 0;
  const npn = () => npnOf(next++);
  const tiers: string[][] = [];
  tiers.push(Array.from({ length: widths[0] }, npn));
  tiers[0].forEach((a) => entry(`  - npn: "${a}"`, 0));
  for (let d = 1; d < 3; d++) {
    tiers.push(Array.from({ length: widths[d] }, npn));
    tiers[d].forEach((x, i) => entry(`  - npn: "${x}"`, d, tiers[d - 1][i % tiers[d - 1].length]));
  }
  const leads = tiers[2];
  const rest = n - next;
  leads.forEach((lead, i) => {
    const count = Math.floor(rest / leads.length) + (i < rest % leads.length ? 1 : 0);
    if (count > 0) entry(`  - npns: [${Array.from({ length: count }, () => `"${npn()}"`).join(', ')}]`, 3, lead);
  });
  return `${out.join('\n')}\n`;
}
