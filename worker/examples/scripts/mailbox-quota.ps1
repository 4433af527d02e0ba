<#
  Exchange mailbox quota increase. Halo: action "Run Mailbox Quota Script" on a ticket.
  Passing: namedParameters. Success text: "Quota updated".
  Needs the ExchangeOnlineManagement module (app-only certificate auth configured for the worker's account) or
  an Exchange Management Shell; without it, the script explains what it would do and fails.
#>
param(
  [Parameter(Mandatory)][string]$Mailbox,
  [Parameter(Mandatory)][int]$QuotaGB,
  [int]$TicketId
)
$ErrorActionPreference = 'Stop'
if ($Mailbox -notmatch '^[^@\s]+@[^@\s]+\.[^@\s]+$') { throw "Mailbox must be an email address, got '$Mailbox'" }
if ($QuotaGB -lt 1 -or $QuotaGB -gt 100) { throw "QuotaGB must be between 1 and 100, got $QuotaGB" }
$warning = [math]::Floor($QuotaGB * 0.9)
$plan = "Set-Mailbox -Identity '$Mailbox' -ProhibitSendQuota ${QuotaGB}GB -ProhibitSendReceiveQuota ${QuotaGB}GB -IssueWarningQuota ${warning}GB -UseDatabaseQuotaDefaults `$false"

if (-not (Get-Command Set-Mailbox -ErrorAction SilentlyContinue)) {
  Write-Output "Exchange cmdlets not available on this server (ticket $TicketId). Would run:"
  Write-Output "  $plan"
  exit 3
}
Set-Mailbox -Identity $Mailbox -ProhibitSendQuota "${QuotaGB}GB" -ProhibitSendReceiveQuota "${QuotaGB}GB" `
  -IssueWarningQuota "${warning}GB" -UseDatabaseQuotaDefaults $false
Write-Output "Quota updated: $Mailbox now has $QuotaGB GB (warning at $warning GB) for ticket $TicketId"
