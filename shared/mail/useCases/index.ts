// I/O orchestration of "mailboxes to tickets": what the functions call.
export { type AgentReplyOutcome, sendAgentReplyForEvent } from './agentReply';
export { handleGraphDelivery } from './notifications';
export { recordPoisonedScan, runScanMessage, ScanRetryError } from './runScanMessage';
export { isIdle, type ScanReport, scanMailbox, scanRunKind } from './scanMailbox';
export { mailboxScanMessageSchema, mailboxScanQueue, requestScan, requestScansOfAllMailboxes } from './scanQueue';
export { LIFECYCLE_ROUTE, maintainSubscriptions, NOTIFICATIONS_ROUTE } from './subscriptions';
