/** A Halo record as the simulator keeps it: plain JSON with an id. */
export type Rec = Record<string, unknown> & { id: number };

/** The simulator's starting data (dev/demo-data/halo.json, a test's own seed, or generateHaloSeed()). */
export interface HaloSeed {
  clients: Rec[];
  sites: Rec[];
  users: Rec[];
  agents?: Rec[];
  teams?: Rec[];
  statuses?: Rec[];
  outcomes?: Rec[];
  ticketTypes?: Rec[];
  tickets?: Rec[];
  actions?: Rec[];
  assets?: Rec[];
  assetTypes?: Rec[];
  assetGroups?: Rec[];
  /** Asset field definitions (`/Field`): `{id, name}`; an asset's `fields` rows are named after them. */
  assetFields?: Rec[];
  /** Asset statuses (`GET /Status?type=asset`), apart from ticket statuses. */
  assetStatuses?: Rec[];
  softwareLicences?: Rec[];
  scripts?: Rec[];
  scriptRuns?: Rec[];
  /** Approval processes: `{id, name, steps: [{id, name, pssid?}]}`; a step's `pssid` queues that script. */
  approvalProcesses?: Rec[];
  /** Agent roles (`NHD_Roles`): string ids. */
  roles?: HaloRole[];
  /** User roles (`UserRoles`): integer ids. */
  userRoles?: Rec[];
  /** CABs (`CabHeader`) with `members` (`CabMember`: `agent_id` or `user_id`, `role_id`). */
  cabs?: Rec[];
}

/** An agent role as Halo answers it: the id is a string (often a GUID). */
export interface HaloRole {
  id: string;
  name: string;
  [field: string]: unknown;
}

export type PayloadType = 'full' | 'small' | 'event';

export interface SimWebhook {
  id: string;
  name: string;
  url: string;
  username?: string;
  password?: string;
  payloadType: PayloadType;
  /** Event names this webhook fires on (case-insensitive), or `*`. */
  events: string[];
  /** Group deliveries into one array until flushWebhookBatches(). */
  batch: boolean;
  active: boolean;
}

/** One delivery attempt, as Halo's Deliveries tab shows it. */
export interface WebhookDelivery {
  id: string;
  webhook_id: string;
  event: string;
  status: 'success' | 'failed';
  responsestatus: number;
  responsebody: string;
  error: string;
  requestbody: string;
  date: string;
}
