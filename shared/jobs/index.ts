export { canonicalJson } from './canonicalJson';
export {
  type Job,
  type JobSource,
  jobSchema,
  MAX_PARAMETERS_JSON_LENGTH,
  type ParameterValue,
  type PassingMethod,
  type SignedJob,
  signedJobSchema,
} from './envelope';
export {
  type JobRejectionReason,
  type JobVerification,
  signJob,
  type VerifyJobOptions,
  verifySignedJob,
} from './jobSigning';
export {
  type Ed25519KeyPair,
  exportPrivateKey,
  exportPublicKey,
  generateSigningKeyPair,
  importPrivateKey,
  importPublicKey,
  keyIdOf,
  type PrivateKeyInput,
  type PublicKeyInput,
} from './keys';
export {
  isNoticeMessage,
  type SignedNotice,
  type StartedNotice,
  signedNoticeSchema,
  startedNoticeSchema,
} from './notice';
export { type NoticeVerification, signNotice, verifySignedNotice } from './noticeSigning';
export { decodeQueueMessage, encodeQueueMessage } from './queueMessage';
export { type JobResult, type ResultStatus, resultSchema, type SignedResult, signedResultSchema } from './result';
export { type RegisteredWorkers, type ResultVerification, signResult, verifySignedResult } from './resultSigning';
