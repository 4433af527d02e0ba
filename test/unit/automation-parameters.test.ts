import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exampleConfig, exampleNewStarterData } from '../../shared/automation/examples';
import { requiredReads, resolveParameters } from '../../shared/automation/parameters';
import type { ParameterMapping } from '../../shared/config/integration/scripts';

const newStarter = exampleConfig.scripts.find((s) => s.name === 'new-starter')!;
const mailboxQuota = exampleConfig.scripts.find((s) => s.name === 'mailbox-quota')!;
const from = (name: string, path: string, optional = false): ParameterMapping => ({ name, from: path, optional });

describe('resolveParameters', () => {
  it('resolves ticket, user, client, site and custom fields (value or display); skips empty optional ones', () => {
    const result = resolveParameters(newStarter.parameters, exampleNewStarterData);
    assert.deepEqual(result, {
      ok: true,
      parameters: {
        TicketId: 1002,
        FirstName: 'Jo',
        LastName: 'Bloggs',
        StartDate: '03/06/2024',
        InitialPassword: 'Welcome-2024!x',
        ManagerEmail: 'mary.manager@contoso.com',
        Company: 'Contoso Ltd',
        Office: 'Head Office',
      },
    });
  });

  it('finds a custom field by name, by API name without CF, by label and by id', () => {
    const mappings = [
      from('A', 'ticket.customfields.CFNewStarterFirstName'),
      from('B', 'ticket.customfields.cfnewstarterfirstname'),
      from('C', 'ticket.customfields.NewStarterFirstName.value'),
      from('D', 'ticket.customfields.41'),
      from('E', 'ticket.customfields.First name'),
      from('F', 'ticket.customfields.43.display'),
    ];
    const result = resolveParameters(mappings, exampleNewStarterData);
    assert.deepEqual(result, {
      ok: true,
      parameters: { A: 'Jo', B: 'Jo', C: 'Jo', D: 'Jo', E: 'Jo', F: '03/06/2024' },
    });
  });

  it('lists every problem, naming the mapping, and keeps fixed values', () => {
    const mappings: ParameterMapping[] = [
      { name: 'Fixed', value: 42 },
      from('Missing', 'ticket.customfields.CFNope'),
      from('Empty', 'ticket.customfields.CFNewStarterDepartment'),
      from('NoField', 'ticket.nosuchfield'),
      from('Whole', 'ticket.customfields'),
      from('Obj', 'user'),
      from('BadRoot', 'agent.name'),
      from('List', 'ticket.customfields.41.value.extra'),
    ];
    const result = resolveParameters(mappings, {
      ticket: exampleNewStarterData.ticket,
      user: { id: 1, manager: { id: 2 } },
    });
    assert.equal(result.ok, false);
    assert.deepEqual(result.parameters, { Fixed: 42 });
    assert.deepEqual(!result.ok && result.problems, [
      'parameter "Missing" (from ticket.customfields.CFNope): the ticket has no custom field "CFNope"',
      'parameter "Empty" (from ticket.customfields.CFNewStarterDepartment): is empty',
      'parameter "NoField" (from ticket.nosuchfield): the ticket has no field "nosuchfield"',
      'parameter "Whole" (from ticket.customfields): names the custom field list, not a field',
      'parameter "Obj" (from user): names a record, not a field',
      'parameter "BadRoot" (from agent.name): must start with ticket, client, site, user',
      'parameter "List" (from ticket.customfields.41.value.extra): a custom field path ends with the field, then optionally .value or .display',
    ]);
  });

  it('says when a record was not read, and refuses objects as values', () => {
    const result = resolveParameters([from('Company', 'client.name'), from('Mgr', 'user.manager')], {
      ticket: { id: 1 },
      user: { manager: { id: 2 } },
    });
    assert.deepEqual(!result.ok && result.problems, [
      'parameter "Company" (from client.name): the client was not read from Halo',
      'parameter "Mgr" (from user.manager): is not a single value (an object or a list)',
    ]);
  });

  it('keeps numbers and booleans as they are', () => {
    const result = resolveParameters([from('Closed', 'ticket.hasbeenclosed'), from('Id', 'ticket.id')], {
      ticket: { id: 7, hasbeenclosed: false },
    });
    assert.deepEqual(result, { ok: true, parameters: { Closed: false, Id: 7 } });
  });
});

describe('requiredReads', () => {
  it('names only the records the mappings use', () => {
    assert.deepEqual(requiredReads(newStarter.parameters), { client: true, site: true, user: true });
    assert.deepEqual(requiredReads(mailboxQuota.parameters), { client: false, site: false, user: false });
    assert.deepEqual(requiredReads([{ name: 'X', value: 1 }, from('C', 'client.name')]), {
      client: true,
      site: false,
      user: false,
    });
  });
});
