import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The emulator's records, as the API stores them (id-space). */
export type Json = Record<string, unknown>;

export interface Carrier extends Json { id: string; name: string; createdDate: string; modifiedDate: string }
export interface Product extends Json { id: string; carrierId: string; name: string; lineOfBusinessId: string }
export interface Level extends Json { id: string; productId: string; name: string; type: string }

/** One point-in-time state of an assignment; the Hierarchies API is derived from these. */
export interface AssignmentChange {
  id: string;
  startDate: string;
  endDate: string | null;
  commissionLevelId: string;
  assignmentStatusId: string;
  uplineNpn: string | null;
  administrativeDivisions: string[];
  modifiedDate: string;
  /** Who made the change (the changelog's `modifiedByName`); older state files lack it. */
  modifiedByName?: string;
}

export interface Assignment extends Json {
  id: string;
  npn: string;
  productId: string;
  commissionLevelId: string;
  assignmentStatusId: string;
  administrativeDivisions: string[];
  displayNumber: string;
  changes: AssignmentChange[];
}

export interface TurrisAssociation extends Json { _id: string; producerCode?: string; email: string }
export interface TurrisTemplate extends Json { _id: string; name: string; status: string }

export interface StateData {
  formatVersion: 1;
  carriers: Carrier[];
  products: Product[];
  levels: Level[];
  assignments: Assignment[];
  /** Deleted assignments, kept for the Hierarchies changelog (an audit log keeps a deleted contract's history). */
  deletedAssignments?: Assignment[];
  invitations: Json[];
  persons: Record<string, { firstName: string; lastName: string }>;
  turris: { associations: TurrisAssociation[]; templates: TurrisTemplate[] };
  sequence: number;
}

export class StateFileError extends Error {}

export function emptyState(): StateData {
  return { formatVersion: 1, carriers: [], products: [], levels: [], assignments: [], invitations: [], persons: {}, turris: { associations: [], templates: [] }, sequence: 0 };
}

/**
 * In-memory records with the indexes the routes need, persisted (when a file is given) with an
 * atomic temp-file + rename after every write, so a killed process never leaves a torn file.
 */
export class Store {
  data: StateData;
  private carriersById = new Map<string, Carrier>();
  private productsById = new Map<string, Product>();
  private levelsById = new Map<string, Level>();
  private assignmentsById = new Map<string, Assignment>();
  private assignmentsByNpn = new Map<string, Assignment[]>();
  /** When each object was created by this process, for the list-lag knob (an eventually consistent listing). */
  private born = new WeakMap<object, number>();
  listLagMs = 0;

  constructor(private readonly file?: string) {
    this.data = file && existsSync(file) ? readState(file) : emptyState();
    this.reindex();
  }

  private reindex(): void {
    this.carriersById = new Map(this.data.carriers.map((c) => [c.id, c]));
    this.productsById = new Map(this.data.products.map((p) => [p.id, p]));
    this.levelsById = new Map(this.data.levels.map((l) => [l.id, l]));
    this.assignmentsById = new Map(this.data.assignments.map((a) => [a.id, a]));
    this.assignmentsByNpn = new Map();
    for (const a of this.data.assignments) this.indexAssignment(a);
  }

  private indexAssignment(a: Assignment): void {
    const list = this.assignmentsByNpn.get(a.npn) ?? [];
    list.push(a);
    this.assignmentsByNpn.set(a.npn, list);
  }

  carrier(id: string) { return this.carriersById.get(id); }
  product(id: string) { return this.productsById.get(id); }
  level(id: string) { return this.levelsById.get(id); }
  assignment(id: string) { return this.assignmentsById.get(id); }
  assignmentsOf(npn: string): Assignment[] { return this.assignmentsByNpn.get(npn) ?? []; }

  addCarrier(c: Carrier) { this.data.carriers.push(c); this.carriersById.set(c.id, c); this.born.set(c, Date.now()); }
  addProduct(p: Product) { this.data.products.push(p); this.productsById.set(p.id, p); this.born.set(p, Date.now()); }
  addLevel(l: Level) { this.data.levels.push(l); this.levelsById.set(l.id, l); this.born.set(l, Date.now()); }
  addAssignment(a: Assignment) { this.data.assignments.push(a); this.assignmentsById.set(a.id, a); this.indexAssignment(a); this.born.set(a, Date.now()); }
  addAssociation(a: TurrisAssociation) { this.data.turris.associations.push(a); this.born.set(a, Date.now()); }

  /** What a listing shows: with a list lag, objects younger than the lag are not there yet. */
  listed<T extends object>(items: T[]): T[] {
    if (!this.listLagMs) return items;
    const cutoff = Date.now() - this.listLagMs;
    return items.filter((item) => (this.born.get(item) ?? 0) <= cutoff);
  }

  removeProduct(id: string) { this.data.products = this.data.products.filter((p) => p.id !== id); this.productsById.delete(id); }
  removeLevel(id: string) { this.data.levels = this.data.levels.filter((l) => l.id !== id); this.levelsById.delete(id); }
  /** Removes in place (the listing keeps its order) and unindexes only this one, without rebuilding every index. */
  removeAssignment(id: string) {
    const removed = this.assignmentsById.get(id);
    if (!removed) return;
    (this.data.deletedAssignments ??= []).push(removed);
    this.data.assignments.splice(this.data.assignments.indexOf(removed), 1);
    this.assignmentsById.delete(id);
    const sameNpn = this.assignmentsByNpn.get(removed.npn)!.filter((a) => a !== removed);
    if (sameNpn.length) this.assignmentsByNpn.set(removed.npn, sameNpn);
    else this.assignmentsByNpn.delete(removed.npn);
  }

  nextNumber(): number {
    this.data.sequence += 1;
    return this.data.sequence;
  }

  /** Replace everything (tests and the state-file reload). */
  replace(data: StateData): void {
    this.data = data;
    this.reindex();
  }

  save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(this.data));
    renameSync(temp, this.file);
  }
}

function readState(file: string): StateData {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new StateFileError(`emulator state file ${file} is not valid JSON (${(cause as Error).message}); delete it to start from an empty account`);
  }
  const data = parsed as Partial<StateData>;
  if (!data || data.formatVersion !== 1 || !Array.isArray(data.carriers) || !Array.isArray(data.assignments)) {
    throw new StateFileError(`emulator state file ${file} is not a downline emulator state (formatVersion 1); delete it to start from an empty account`);
  }
  return { ...emptyState(), ...data } as StateData;
}
