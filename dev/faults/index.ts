export { mulberry32 } from '../../shared/runtime/random';
export { type ControlAnswer, faultControl } from './control';
export {
  type ActiveFaultRule,
  DEFAULT_FAULT_SEED,
  type FaultDecision,
  FaultEngine,
  type FaultScope,
  type FaultState,
  type FaultTarget,
  type TerminalEffect,
} from './engine';
export {
  gatewayAnswer,
  graphCode,
  HALO_RATE_LIMIT_DEFAULT,
  haloRateLimitAnswer,
  type RenderDefaults,
  type RenderedAnswer,
  renderStatus,
} from './render';
export {
  type FaultEffect,
  type FaultRule,
  type FaultRuleSet,
  faultEffectSchema,
  faultRuleSchema,
  faultRuleSetSchema,
  type ParsedFaultRule,
} from './rules';
