/**
 * Friendly names of common Microsoft licences by `skuPartNumber` (Graph's `subscribedSkus` carry only the part
 * number), from Microsoft's "Product names and service plan identifiers for licensing" table
 * (https://learn.microsoft.com/entra/identity/users/licensing-service-plan-reference, page of 2025-10-29; its CSV
 * is the full list). A subset, shipped as data: a part number not listed here keeps its part number as the name
 * unless the connection names it (`softwareLicences.names`), which also overrides these.
 */
export const SKU_NAMES_AS_OF = '2025-10-29';

export const SKU_NAMES: Readonly<Record<string, string>> = {
  AAD_PREMIUM: 'Microsoft Entra ID P1',
  AAD_PREMIUM_P2: 'Microsoft Entra ID P2',
  ATP_ENTERPRISE: 'Microsoft Defender for Office 365 (Plan 1)',
  DEFENDER_ENDPOINT_P1: 'Microsoft Defender for Endpoint P1',
  EMS: 'Enterprise Mobility + Security E3',
  EMSPREMIUM: 'Enterprise Mobility + Security E5',
  ENTERPRISEPACK: 'Office 365 E3',
  ENTERPRISEPREMIUM: 'Office 365 E5',
  EXCHANGEDESKLESS: 'Exchange Online Kiosk',
  EXCHANGEENTERPRISE: 'Exchange Online (Plan 2)',
  EXCHANGESTANDARD: 'Exchange Online (Plan 1)',
  FLOW_FREE: 'Microsoft Power Automate Free',
  INTUNE_A: 'Intune',
  MCOEV: 'Microsoft Teams Phone Standard',
  O365_BUSINESS: 'Microsoft 365 Apps for business',
  O365_BUSINESS_ESSENTIALS: 'Microsoft 365 Business Basic',
  O365_BUSINESS_PREMIUM: 'Microsoft 365 Business Standard',
  OFFICESUBSCRIPTION: 'Microsoft 365 Apps for enterprise',
  POWER_BI_PRO: 'Power BI Pro',
  PROJECTPROFESSIONAL: 'Project Plan 3',
  SPB: 'Microsoft 365 Business Premium',
  SPE_E3: 'Microsoft 365 E3',
  SPE_E5: 'Microsoft 365 E5',
  SPE_F1: 'Microsoft 365 F3',
  STANDARDPACK: 'Office 365 E1',
  VISIOCLIENT: 'Visio Plan 2',
};

/** The name a licence gets in Halo: the connection's own name for it, Microsoft's, or its part number. */
export function skuName(partNumber: string, overrides: Readonly<Record<string, string>>): string {
  return overrides[partNumber] ?? SKU_NAMES[partNumber] ?? partNumber;
}
