export type { FaultEngine, FaultRule, FaultRuleSet } from '../faults';
export { generateHaloSeed, loadDemoHaloSeed } from './seed';
export {
  type AgentActionInput,
  type AutomationResult,
  type HaloSimulator,
  type HaloSimulatorOptions,
  type SimCounters,
  type SimRequest,
  startHaloSimulator,
} from './server';
export type { HaloSimStore } from './store';
export type { HaloSeed, PayloadType, Rec, SimWebhook, WebhookDelivery } from './types';
export { haloTimestamp, SIM_EVENTS, type WebhookConfig } from './webhooks';
