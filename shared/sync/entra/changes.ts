import type { SourcePlan } from '../engine/definition';
import type { HaloTeamMembership } from './haloSnapshot';
import type { LicenceChange, LicenceRef } from './licences/types';

/**
 * A record this plan creates, named where a later write needs its id (an agent's line manager, a CAB member, a
 * user's new site). Resolved just before its batch is sent (haloWrites.ts).
 */
export type CreatedRef =
  | { readonly $ref: 'agent'; readonly oid: string; readonly email: string }
  | { readonly $ref: 'user'; readonly oid: string; readonly email: string }
  | { readonly $ref: 'site'; readonly clientId: number; readonly name: string }
  | LicenceRef;

export type IdOrRef = number | CreatedRef;

export function isRef(value: unknown): value is CreatedRef {
  return typeof value === 'object' && value !== null && '$ref' in value;
}

export interface AgentBody {
  id?: IdOrRef;
  name?: string;
  firstname?: string;
  surname?: string;
  email?: string;
  jobtitle?: string;
  department?: string;
  sms?: string;
  extensionnumber?: string;
  initials?: string;
  /** The default team's name. */
  team?: string;
  teams?: HaloTeamMembership[];
  roles?: { id: string }[];
  isdisabled?: boolean;
  licence_type?: number;
  linemanager?: IdOrRef;
  customfields?: { id: number; value: string }[];
  /** Plan-side only (stripped before sending): the Entra user, for link records and recovery look-ups. */
  _oid?: string;
}

export interface UserBody {
  id?: number;
  name?: string;
  firstname?: string;
  surname?: string;
  emailaddress?: string;
  site_id?: IdOrRef;
  azureoid?: string;
  inactive?: boolean;
  roles?: { id: number }[];
  customfields?: { id: number; value: string }[];
  [field: string]: unknown;
  _oid?: string;
}

/** One field a change writes: its value before (when known) and after, and the mapping or rule that wants it. */
export interface FieldChange {
  readonly field: string;
  readonly from?: string;
  readonly to: string;
  readonly why: string;
}

interface About {
  /** The Entra user it is about, and a name people recognise. */
  readonly oid: string;
  readonly upn: string;
  readonly reason: string;
}

export interface CreateSiteChange {
  readonly kind: 'createSite';
  readonly resource: '/Site';
  /** A site is about no one user. */
  readonly oid?: undefined;
  readonly upn?: undefined;
  readonly site: { readonly clientId: number; readonly name: string };
  readonly body: { name: string; client_id: number };
  readonly reason: string;
}

export interface CreateAgentChange extends About {
  readonly kind: 'createAgent';
  readonly resource: '/Agent';
  readonly body: AgentBody;
  readonly fields: readonly FieldChange[];
}

export interface AgentChange extends About {
  readonly kind: 'updateAgent' | 'deactivateAgent' | 'reactivateAgent';
  readonly resource: '/Agent';
  readonly agentId: IdOrRef;
  readonly body: AgentBody & { id: IdOrRef };
  readonly fields: readonly FieldChange[];
}

export interface CreateUserChange extends About {
  readonly kind: 'createUser';
  readonly resource: '/Users';
  readonly body: UserBody;
  readonly fields: readonly FieldChange[];
}

export interface UserChange extends About {
  readonly kind: 'updateUser' | 'deactivateUser' | 'reactivateUser';
  readonly resource: '/Users';
  readonly userId: number;
  readonly body: UserBody & { id: number };
  readonly fields: readonly FieldChange[];
}

export interface CabMemberChange extends About {
  readonly kind: 'addCabMember';
  readonly resource: '/CAB';
  readonly cabId: number;
  readonly cabName: string;
  readonly member: { agent_id?: IdOrRef; user_id?: IdOrRef; role_id?: number };
}

export interface ReassignTicketChange extends About {
  readonly kind: 'reassignTicket';
  readonly resource: '/Tickets';
  readonly ticketId: number;
  readonly fromAgentId: number;
  readonly body: { id: number; agent_id: number };
}

/**
 * Every kind of change the Entra ID sync plans: users and agents (plan/), software licences and their
 * assignments (licences/). Distribution-group followers (issue 11 item 11) would add their kinds here.
 */
export type EntraChange =
  | CreateSiteChange
  | CreateAgentChange
  | AgentChange
  | CreateUserChange
  | UserChange
  | CabMemberChange
  | ReassignTicketChange
  | LicenceChange;

export type EntraChangeKind = EntraChange['kind'];

export const ENTRA_CHANGE_KINDS: readonly EntraChangeKind[] = [
  'createSite',
  'createAgent',
  'updateAgent',
  'deactivateAgent',
  'reactivateAgent',
  'createUser',
  'updateUser',
  'deactivateUser',
  'reactivateUser',
  'addCabMember',
  'reassignTicket',
  'createLicence',
  'updateLicence',
  'linkLicences',
  'assignLicence',
];

/**
 * The inbound log: one record per Entra user the run processed: which mappings matched, which Halo records it
 * is (and how they were found), what the plan changes in Halo and why, or why nothing.
 */
export interface InboundLogEntry {
  readonly oid: string;
  readonly upn: string;
  readonly displayName: string;
  /** What the round said about the user: changed, restored, soft-deleted, deleted, not found, unchanged. */
  readonly event: string;
  readonly mappings: readonly string[];
  readonly agent?: string;
  readonly user?: string;
  /** The planned changes (kind: fields), in plan order. */
  readonly changes: readonly string[];
  /** Why: the changes' reasons, or why nothing changes. */
  readonly outcome: string;
  readonly problems?: readonly string[];
}

/** How the run read Entra and Halo, for the status and the report. */
export interface ReadSummary {
  readonly users: 'full' | 'delta';
  readonly groups: 'full' | 'delta';
  /** Why a full read happened: first run, reset, new selection, periodic, or a refused delta link (with Graph's reason). */
  readonly why: readonly string[];
  readonly usersInRound: number;
  readonly groupsInRound: number;
  readonly removedInRound: number;
  /** Users planned (changed, or affected through their groups or manager). */
  readonly affectedUsers: number;
  /** Properties read by a plain GET because delta cannot track them. */
  readonly untracked: readonly string[];
  /** Halo was read (something to plan) or not (nothing changed). */
  readonly halo: 'read' | 'notNeeded';
  readonly usersFrom?: string;
}

/** What afterApply stores once the plan is applied: the delta links and the directory copy they lead to. */
export interface StateCommit {
  readonly usersDeltaLink: string;
  readonly groupsDeltaLink: string;
  /** The directory copy after this round, stored with the run until it is committed. */
  readonly directoryPath: string;
  readonly selectionKey: string;
  /** When the last full read was (this run's start when it read everything). */
  readonly fullReadAt: string;
  /** The state row's ETag the plan was made from (a reset in between makes the commit step aside). */
  readonly baseEtag: string | null;
  /** Hard-deleted users whose agent link is dropped. */
  readonly forgetAgentLinks: readonly string[];
  /** Agents matched by their fields in this plan: linked (so the next run finds them by the link). */
  readonly linkAgents: readonly { oid: string; agentId: number; email: string }[];
}

export interface EntraPlan extends SourcePlan {
  readonly tenantId: string;
  readonly connectionName: string;
  readonly read: ReadSummary;
  readonly changes: EntraChange[];
  readonly log: InboundLogEntry[];
  /** Things a person should look at: ties, unknown teams, refused rows, config warnings. */
  readonly problems: string[];
  readonly commit: StateCommit;
}
