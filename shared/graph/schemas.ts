import { z } from 'zod';
// Contracts and GDAP rows name customer tenants by their tenant id, a GUID.
import { tenantId as tenantGuid } from '../config/integration/common';

// Loose on purpose: Graph adds properties all the time; we name only what the flows read, and keep the rest.
const text = z.string().nullish();
/** Graph's own samples send booleans as strings at times (`"isRead": "true"` in a messages delta). */
export const flag = z.preprocess(
  (value) => (value === 'true' ? true : value === 'false' ? false : value),
  z.boolean().nullish(),
);
/** A count that may come as a numeric string. */
const count = z.preprocess(
  (value) =>
    typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value,
  z.number().nullish(),
);
const emailAddress = z.looseObject({ emailAddress: z.looseObject({ address: text, name: text }).nullish() });

const id = z.string().min(1);

export const delegatedAdminCustomerSchema = z.looseObject({ id, tenantId: tenantGuid, displayName: text });
export const contractSchema = z.looseObject({
  id,
  customerId: tenantGuid,
  defaultDomainName: text,
  displayName: text,
  contractType: text,
});
export const organizationSchema = z.looseObject({
  id: z.string(),
  displayName: text,
  verifiedDomains: z.array(z.looseObject({ name: z.string(), isDefault: flag })).nullish(),
});
export const domainSchema = z.looseObject({
  id,
  isDefault: flag,
  isInitial: flag,
  isVerified: flag,
});
export const userSchema = z.looseObject({
  id,
  displayName: text,
  userPrincipalName: text,
  mail: text,
  givenName: text,
  surname: text,
  accountEnabled: flag,
  userType: text,
  jobTitle: text,
  proxyAddresses: z.array(z.string()).nullish(),
  assignedLicenses: z.array(z.looseObject({ skuId: z.string().nullish() })).nullish(),
});
export const subscribedSkuSchema = z.looseObject({
  skuId: id,
  skuPartNumber: text,
  consumedUnits: count,
  capabilityStatus: text,
});
export const managedDeviceSchema = z.looseObject({
  id,
  deviceName: text,
  serialNumber: text,
  operatingSystem: text,
  userPrincipalName: text,
  userId: text,
  azureADDeviceId: text,
  complianceState: text,
  managementAgent: text,
  lastSyncDateTime: text,
});
export const mailFolderSchema = z.looseObject({
  id: z.string(),
  displayName: z.string(),
  totalItemCount: count,
  unreadItemCount: count,
});
export const messageSchema = z.looseObject({
  id: z.string(),
  internetMessageId: text,
  conversationId: text,
  subject: text,
  from: emailAddress.nullish(),
  sender: emailAddress.nullish(),
  toRecipients: z.array(emailAddress).nullish(),
  ccRecipients: z.array(emailAddress).nullish(),
  body: z.looseObject({ contentType: text, content: text }).nullish(),
  uniqueBody: z.looseObject({ contentType: text, content: text }).nullish(),
  bodyPreview: text,
  receivedDateTime: text,
  hasAttachments: flag,
  isRead: flag,
  parentFolderId: text,
  internetMessageHeaders: z.array(z.looseObject({ name: z.string(), value: z.string() })).nullish(),
});
export const attachmentSchema = z.looseObject({
  id: z.string(),
  name: text,
  contentType: text,
  size: count,
  isInline: flag,
  contentId: text,
  contentBytes: text,
  '@odata.type': text,
});
export const subscriptionSchema = z.looseObject({
  id: z.string(),
  resource: z.string(),
  changeType: z.string(),
  notificationUrl: z.string(),
  expirationDateTime: z.string(),
  clientState: text,
  lifecycleNotificationUrl: text,
});

export type DelegatedAdminCustomer = z.infer<typeof delegatedAdminCustomerSchema>;
export type Contract = z.infer<typeof contractSchema>;
export type Organization = z.infer<typeof organizationSchema>;
export type Domain = z.infer<typeof domainSchema>;
export type GraphUser = z.infer<typeof userSchema>;
export type SubscribedSku = z.infer<typeof subscribedSkuSchema>;
export type ManagedDevice = z.infer<typeof managedDeviceSchema>;
export type MailFolder = z.infer<typeof mailFolderSchema>;
export type GraphMessage = z.infer<typeof messageSchema>;
export type GraphAttachment = z.infer<typeof attachmentSchema>;
export type GraphSubscription = z.infer<typeof subscriptionSchema>;
