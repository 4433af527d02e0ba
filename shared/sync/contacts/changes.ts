import type { CompanyMatchResult } from './matchCompany';
import type { HaloClientWrite, HaloUserWrite } from './types';

/** Who a contact change is about, for people reading the report. */
export interface ContactRef {
  id?: number;
  name: string;
  email: string;
  phonenumber?: string;
  mobilenumber?: string;
  azureoid?: string;
}

export interface FieldChange {
  field: keyof HaloUserWrite;
  from: string;
  to: string;
}

export interface LinkTenantChange {
  kind: 'linkTenant';
  resource: '/Client';
  clientId: number;
  clientName: string;
  body: HaloClientWrite;
  reason: string;
}

export interface CreateContactChange {
  kind: 'createContact';
  resource: '/Users';
  contact: ContactRef;
  body: HaloUserWrite;
  reason: string;
}

export interface ContactRecordChange<K extends string> {
  kind: K;
  resource: '/Users';
  contact: ContactRef & { id: number };
  body: HaloUserWrite & { id: number };
  reason: string;
}

export type PairContactChange = ContactRecordChange<'pairContact'>;
export type ReactivateContactChange = ContactRecordChange<'reactivateContact'>;
export type DeactivateContactChange = ContactRecordChange<'deactivateContact'>;
export type UpdateContactChange = ContactRecordChange<'updateContact'> & { fields: FieldChange[] };

export type Change =
  | LinkTenantChange
  | CreateContactChange
  | PairContactChange
  | UpdateContactChange
  | ReactivateContactChange
  | DeactivateContactChange;

export type ChangeKind = Change['kind'];

export const CHANGE_KINDS: readonly ChangeKind[] = [
  'linkTenant',
  'createContact',
  'pairContact',
  'updateContact',
  'reactivateContact',
  'deactivateContact',
];

/** A tenant user that was left alone, and why (shown in the report so "why was X not created?" has an answer). */
export interface SkippedUser {
  userPrincipalName: string;
  reason: string;
}

export interface TenantPlan {
  tenantId: string;
  tenantName: string;
  match: CompanyMatchResult;
  changes: Change[];
  skippedUsers: SkippedUser[];
}
