<#
  Leaver de-provisioning: disable the account, remove group memberships, hide from the address list, convert the
  mailbox to shared and forward it to the manager if given. Passing: namedParameters. Success text: "Leaver processed".
  Not idempotent in spirit (group removals are recorded in the output once), so the job is sent with idempotent=false.
#>
param(
  [Parameter(Mandatory)][string]$SamAccountName,
  [string]$ForwardTo = '',
  [string]$DisabledOU = '',
  [int]$TicketId
)
$ErrorActionPreference = 'Stop'
$haveAd = [bool](Get-Command Disable-ADAccount -ErrorAction SilentlyContinue)
$haveExchange = [bool](Get-Command Set-Mailbox -ErrorAction SilentlyContinue)
if (-not $haveAd) {
  Write-Output "ActiveDirectory module not available on this server (ticket $TicketId). Would run:"
  Write-Output "  Disable-ADAccount -Identity '$SamAccountName'"
  Write-Output "  Get-ADPrincipalGroupMembership '$SamAccountName' | Where-Object Name -ne 'Domain Users' | Remove-ADGroupMember -Members '$SamAccountName' -Confirm:`$false"
  if ($DisabledOU) { Write-Output "  Move-ADObject (Get-ADUser '$SamAccountName').DistinguishedName -TargetPath '$DisabledOU'" }
  if (-not $haveExchange) { Write-Output "  Set-Mailbox '$SamAccountName' -Type Shared -HiddenFromAddressListsEnabled `$true" }
  exit 3
}
$user = Get-ADUser -Identity $SamAccountName -Properties MemberOf
Disable-ADAccount -Identity $user
foreach ($group in $user.MemberOf) {
  Remove-ADGroupMember -Identity $group -Members $user -Confirm:$false
  Write-Output "removed from $group"
}
Set-ADUser -Identity $user -Description "Disabled by halo-bridge for ticket $TicketId on $(Get-Date -Format s)"
if ($DisabledOU) { Move-ADObject -Identity $user.DistinguishedName -TargetPath $DisabledOU }
if ($haveExchange) {
  Set-Mailbox -Identity $SamAccountName -Type Shared -HiddenFromAddressListsEnabled $true
  if ($ForwardTo) { Set-Mailbox -Identity $SamAccountName -ForwardingAddress $ForwardTo -DeliverToMailboxAndForward $true }
} else {
  Write-Output "Exchange cmdlets not available: mailbox left as is (convert it to shared by hand)"
}
Write-Output "Leaver processed: $SamAccountName disabled for ticket $TicketId"
