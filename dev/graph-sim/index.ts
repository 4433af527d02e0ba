export type { FaultEngine, FaultRule, FaultRuleSet } from '../faults';
export type { IntuneSimControl, IntuneThrottle } from './intune';
export type { SentMail } from './mailRoutes';
export {
  DEMO_PARTNER_TENANT_ID,
  type GraphSeed,
  generateGraphSeed,
  loadDemoGraphSeed,
  parseGraphSeed,
  syntheticGuid,
} from './seed';
export {
  type GraphSimulator,
  type GraphSimulatorOptions,
  type IncomingMail,
  type SimRequestRecord,
  startGraphSimulator,
} from './server';
export type { Delivery, LifecycleEvent, LifecycleOptions, SimSubscription } from './subscriptions';
