/**
 * Request bodies for Halo's `POST /Tickets` and `POST /Actions`. Halo takes arrays of these (`[draft]`); ids are
 * integers. Only fields in Halo's published schema (Faults / Actions) are used.
 */
export interface HaloTicketDraft {
  summary: string;
  details_html: string;
  tickettype_id: number;
  client_id: number;
  /** Set whenever `user_id` is: Halo rejects a specific user without a site. */
  site_id?: number;
  user_id?: number;
  status_id?: number;
  priority_id?: number;
  /** Halo request source id (configured per mailbox). */
  source?: number;
  /** Who mailed in (`Name <address>`), also when the ticket is on the General User. */
  reportedby: string;
  /** The other addresses the customer copied, so that replies can include them. */
  emailcclist?: string;
  email_message_id?: string;
  dateoccurred?: string;
}

export interface HaloActionDraft {
  ticket_id: number;
  outcome_id: number;
  note_html: string;
  hiddenfromuser: false;
  emailfrom: string;
  emailsubject: string;
  emailcc?: string;
  email_message_id?: string;
  /** The Halo user who wrote the mail, when the sender is one. */
  actionby_user_id?: number;
  new_status?: number;
}

/** Halo rejects non-integers (a value serialised as `95.0` was refused); fail here with the field's name instead. */
export function haloInt(value: number, field: string): number {
  if (!Number.isSafeInteger(value)) throw new TypeError(`${field} must be an integer, got ${value}`);
  return value;
}
