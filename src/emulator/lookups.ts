import { stableUuid } from './ids.js';

/** The emulator's reference data. Values follow the quick-start and the help-centre status list. */
export interface LookupItem {
  id: string;
  name: string;
  description: string;
}

const item = (table: string, name: string, description = name): LookupItem => ({ id: stableUuid(`${table}:${name}`), name, description });

export const LINES_OF_BUSINESS: LookupItem[] = [
  'Life', 'Health', 'Property & Casualty', 'Annuity', 'Accident & Health', 'Disability', 'Long-Term Care',
  'Medicare Supplement', 'Medicare Advantage', 'Dental', 'Vision', 'Variable Life', 'Variable Annuity', 'Fixed Indexed Annuity',
].map((n) => item('lob', n));

export const SUBMISSION_METHODS: LookupItem[] = ['Paper', 'Online'].map((n) => item('csm', n));

export const ANNUALIZATIONS: LookupItem[] = ['None', 'Monthly', 'Quarterly', 'Semi-Annual', 'Annual', 'Six Months', 'Nine Months'].map((n) => item('ann', n));

// ~34 statuses, SCREAMING_SNAKE names with human descriptions, as the quick-start describes.
const STATUS_NAMES: Array<[string, string]> = [
  ['PENDING_WITH_AGENCY', 'Pending with Agency'], ['PENDING_WITH_PRODUCER', 'Pending with Producer'],
  ['PENDING_WITH_CARRIER', 'Pending with Carrier'], ['APPROVED', 'Approved'],
  ['AWAITING_INCOMING_RELEASE', 'Awaiting Incoming Release'], ['AWAITING_OUTGOING_RELEASE', 'Awaiting Outgoing Release'],
  ['ACTIVE', 'Active'], ['INACTIVE', 'Inactive'], ['TERMINATED', 'Terminated'], ['TERMINATED_FOR_CAUSE', 'Terminated for Cause'],
  ['DECLINED', 'Declined'], ['CANCELLED', 'Cancelled'], ['WITHDRAWN', 'Withdrawn'], ['EXPIRED', 'Expired'],
  ['ON_HOLD', 'On Hold'], ['SUSPENDED', 'Suspended'], ['RELEASED', 'Released'], ['TRANSFERRED', 'Transferred'],
  ['SUBMITTED', 'Submitted'], ['IN_REVIEW', 'In Review'], ['NEEDS_CORRECTION', 'Needs Correction'],
  ['APPOINTMENT_PENDING', 'Appointment Pending'], ['APPOINTED', 'Appointed'], ['NOT_APPOINTED', 'Not Appointed'],
  ['BACKGROUND_CHECK', 'Background Check'], ['TRAINING_REQUIRED', 'Training Required'], ['LICENSE_PENDING', 'License Pending'],
  ['READY_TO_SELL', 'Ready to Sell'], ['JIT_PENDING', 'Just-in-Time Pending'], ['REINSTATED', 'Reinstated'],
  ['RESIGNED', 'Resigned'], ['DECEASED', 'Deceased'], ['REJECTED', 'Rejected'], ['DRAFT', 'Draft'],
];
export const ASSIGNMENT_STATUSES: LookupItem[] = STATUS_NAMES.map(([n, d]) => item('status', n, d));

export const TERMINAL_STATUSES = new Set(['TERMINATED', 'TERMINATED_FOR_CAUSE', 'CANCELLED', 'DECLINED', 'RELEASED', 'RESIGNED', 'DECEASED', 'REJECTED', 'EXPIRED', 'WITHDRAWN']);

export const STATUS_BY_NAME = new Map(ASSIGNMENT_STATUSES.map((s) => [s.name, s]));

export const LOOKUP_TABLES: Record<string, LookupItem[]> = {
  linesOfBusiness: LINES_OF_BUSINESS,
  contractSubmissionMethods: SUBMISSION_METHODS,
  annualizations: ANNUALIZATIONS,
  assignmentStatuses: ASSIGNMENT_STATUSES,
};

export const STATE_CODES = new Set([
  'AK', 'AL', 'AR', 'AZ', 'CA', 'CO', 'CT', 'DC', 'DE', 'FL', 'GA', 'HI', 'IA', 'ID', 'IL', 'IN', 'KS', 'KY', 'LA',
  'MA', 'MD', 'ME', 'MI', 'MN', 'MO', 'MS', 'MT', 'NC', 'ND', 'NE', 'NH', 'NJ', 'NM', 'NV', 'NY', 'OH', 'OK', 'OR',
  'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VA', 'VT', 'WA', 'WI', 'WV', 'WY', 'AS', 'GU', 'MP', 'PR', 'VI',
]);
