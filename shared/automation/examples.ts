import { type IntegrationConfig, parseIntegrationConfig } from '../config/integration';
import type { TicketData } from './parameters';

/*
 * The three demo workflows, on the demo universe's ids (dev/demo-data/README.md): statuses 18 Script Succeeded and
 * 19 Script Failed, outcome 7 Private Note, outcome 30 "Run Mailbox Quota Script", client 10 Contoso Ltd.
 * Realistic input for the rules' tests (they exercise every mapping kind); the config that matches the example
 * scripts in worker/examples/scripts, parameter for parameter, is dev/demo-data/integration.json.
 */

/** The config document (input form) for: new starter after approval, mailbox quota increase, leaver. */
export const exampleScriptsDocument = {
  scripts: [
    {
      name: 'new-starter',
      path: 'new-starter.ps1',
      parameters: [
        { name: 'TicketId', from: 'ticket.id' },
        { name: 'FirstName', from: 'ticket.customfields.CFNewStarterFirstName' },
        { name: 'LastName', from: 'ticket.customfields.CFNewStarterLastName' },
        { name: 'StartDate', from: 'ticket.customfields.CFNewStarterStartDate.display' },
        { name: 'Department', from: 'ticket.customfields.NewStarterDepartment', optional: true },
        { name: 'InitialPassword', from: 'ticket.customfields.CFInitialPassword' },
        { name: 'ManagerEmail', from: 'user.emailaddress' },
        { name: 'Company', from: 'client.name' },
        { name: 'Office', from: 'site.name' },
      ],
      secretParameters: ['InitialPassword'],
      success: { text: 'New starter created', partialMatch: true },
      successStatusId: 18,
      failureStatusId: 19,
      failureOutcomeId: 7,
      failureMessage: 'The new starter could not be provisioned automatically.',
      timeoutSeconds: 600,
    },
    {
      name: 'mailbox-quota',
      path: 'mailbox-quota.ps1',
      passing: 'base64Json',
      parameters: [
        { name: 'Mailbox', from: 'ticket.customfields.CFMailbox' },
        { name: 'QuotaGB', from: 'ticket.customfields.CFQuotaGB' },
        { name: 'RequestedBy', from: 'ticket.user_name', optional: true },
      ],
      success: { text: 'OK', partialMatch: false },
      successStatusId: 18,
      failureStatusId: 19,
      failureOutcomeId: 7,
      idempotent: true,
    },
    {
      name: 'leaver',
      path: 'leaver.ps1',
      workerGroup: 'onprem-ad',
      parameters: [
        { name: 'UserPrincipalName', from: 'ticket.customfields.CFLeaverUPN' },
        { name: 'Company', from: 'client.name' },
        { name: 'Mode', value: 'single' },
      ],
      success: { text: 'Leaver processed', partialMatch: true },
      successStatusId: 18,
      failureStatusId: 19,
    },
  ],
  triggers: {
    actions: [
      { outcomeId: 30, script: 'mailbox-quota' },
      { outcome: 'Process Leaver', script: 'leaver' },
    ],
    approvals: [{ approvalProcessId: 3, stepId: 2, script: 'new-starter' }],
  },
  schedules: [{ name: 'nightly-leaver-sweep', cron: '0 0 2 * * *', script: 'leaver', parameters: { Mode: 'sweep' } }],
};

export const exampleConfig: IntegrationConfig = parseIntegrationConfig(exampleScriptsDocument, 'examples');

/** A "Full object with linked objects" delivery for the mailbox-quota action on ticket 1001. */
export const exampleActionWebhook = {
  id: '5b0a3f4e-8a1d-4c7e-9d55-0c1e2f3a4b5c',
  webhook_id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
  notification_id: 12,
  escmsg_id: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  event: 'Action Added',
  message: 'A new action has been added to Ticket ID: 0001001.',
  object_id: 1001,
  agent_id: 2,
  timestamp: '2024-05-01T10:00:00.1234567Z',
  ticket: { id: 1001, summary: 'Please raise my mailbox quota', status_id: 2, client_id: 10, customfields: [] },
  action: { id: 4, ticket_id: 1001, outcome_id: 30, outcome: 'Run Mailbox Quota Script', note: 'Raising it' },
};

/** An approval delivery for step 2 of approval process 3 on the new-starter ticket 1002 (shape UNCONFIRMED). */
export const exampleApprovalWebhook = {
  id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  webhook_id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
  event: 'Approval Step Approved',
  object_id: 1002,
  timestamp: '2024-05-01T11:00:00.0000000Z',
  ticket: { id: 1002, summary: 'New starter: Jo Bloggs', approval_process_id: 3, approval_process_step: 2 },
  approval: { ticket_id: 1002, approval_process_id: 3, step_id: 2, step_name: 'Line manager', result: 1 },
};

/** "Event information only". */
export const exampleEventOnlyWebhook = {
  id: '0d6b4c8a-2f3e-4a1b-9c7d-6e5f4a3b2c1d',
  event: 'ticket status changed',
  object_id: '0004242',
  webhook_id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
};

/** What the caller reads from Halo for the new-starter run (ticket with details, the user, client and site). */
export const exampleNewStarterData: TicketData = {
  ticket: {
    id: 1002,
    summary: 'New starter: Jo Bloggs',
    client_id: 10,
    site_id: 100,
    user_id: 501,
    customfields: [
      { id: 41, name: 'CFNewStarterFirstName', label: 'First name', value: 'Jo', display: 'Jo' },
      { id: 42, name: 'CFNewStarterLastName', label: 'Last name', value: 'Bloggs', display: 'Bloggs' },
      { id: 43, name: 'CFNewStarterStartDate', value: '2024-06-03T00:00:00', display: '03/06/2024' },
      { id: 44, name: 'CFNewStarterDepartment', value: '', display: '' },
      { id: 45, name: 'CFInitialPassword', value: 'Welcome-2024!x', display: 'Welcome-2024!x' },
    ],
  },
  user: { id: 501, name: 'Mary Manager', emailaddress: 'mary.manager@contoso.com' },
  client: { id: 10, name: 'Contoso Ltd' },
  site: { id: 100, name: 'Head Office' },
};

/** Halo's /PowerShellScript list as the demo Halo returns it. */
export const exampleHaloScripts = [
  {
    id: 1,
    name: 'Exchange mailbox quota',
    location: 'C:\\HaloScripts\\mailbox-quota.ps1',
    method: 2,
    resultstring: 'OK',
    resultpartialmatch: false,
    resultstatus: 18,
    resultfailedstatus: 19,
    fieldmappings_powershell: [{ pssid: 1, fiid: 51, finame: 'CFMailbox', parametername: 'Mailbox' }],
  },
  { id: 4, name: 'Demo: hello', location: 'hello.sh', method: 0, resultstring: 'hello', resultpartialmatch: true },
];

/** An outstanding /PowerShellScriptProcessing record for script 1 on ticket 1001. */
export const exampleQueueRecord = {
  id: 77,
  pssid: 1,
  faultid: 1001,
  processed: false,
  success: false,
  result_message: '',
  script_name: 'Exchange mailbox quota',
  execution_parameters: { Mailbox: 'adele@contoso.com', QuotaGB: 100 },
};
