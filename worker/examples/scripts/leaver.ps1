<#
  Leaver de-provisioning: disable the account, remove group memberships, move it to the disabled OU, hide the
  mailbox from the address list, convert it to shared and forward it to the manager if given.
  Halo: the "Leaver" approval step (or the "Process Leaver" action). Passing: namedParameters.
  Success text: "Leaver processed". Not idempotent in spirit (group removals are reported once), so the job is sent
  with idempotent=false.
#>
param(
  [Parameter(Mandatory)][string]$UserPrincipalName,
  [string]$ForwardTo = '',
  [string]$DisabledOU = '',
  [int]$TicketId
)
$ErrorActionPreference = 'Stop'
if ($UserPrincipalName -notmatch '^[^@\s]+@[^@\s]+\.[^@\s]+$') {
  throw "UserPrincipalName must look like name@domain.com, got '$UserPrincipalName'"
}
if ($ForwardTo -and $ForwardTo -notmatch '^[^@\s]+@[^@\s]+\.[^@\s]+$') {
  throw "ForwardTo must be an email address, got '$ForwardTo'"
}
if ($DisabledOU -and $DisabledOU -notmatch '^(OU|CN)=.+,DC=') {
  throw "DisabledOU must be a distinguished name like OU=Disabled,DC=contoso,DC=com, got '$DisabledOU'"
}
$haveAd = [bool](Get-Command Disable-ADAccount -ErrorAction SilentlyContinue)
$haveExchange = [bool](Get-Command Set-Mailbox -ErrorAction SilentlyContinue)
# The UPN is a value, never code: inside the AD filter it is a quoted string with its quotes doubled.
$filter = "UserPrincipalName -eq '$($UserPrincipalName -replace "'", "''")'"
if (-not $haveAd) {
  Write-Output "ActiveDirectory module not available on this server (ticket $TicketId). Would run:"
  Write-Output "  `$user = Get-ADUser -Filter `"$filter`" -Properties MemberOf"
  Write-Output "  Disable-ADAccount -Identity `$user"
  Write-Output "  `$user.MemberOf | ForEach-Object { Remove-ADGroupMember -Identity `$_ -Members `$user -Confirm:`$false }"
  if ($DisabledOU) { Write-Output "  Move-ADObject -Identity `$user.DistinguishedName -TargetPath '$DisabledOU'" }
  if (-not $haveExchange) { Write-Output "  Set-Mailbox '$UserPrincipalName' -Type Shared -HiddenFromAddressListsEnabled `$true" }
  exit 3
}
$user = Get-ADUser -Filter $filter -Properties MemberOf
if (-not $user) { throw "No Active Directory user has the UPN $UserPrincipalName" }
Disable-ADAccount -Identity $user
foreach ($group in $user.MemberOf) {
  Remove-ADGroupMember -Identity $group -Members $user -Confirm:$false
  Write-Output "removed from $group"
}
Set-ADUser -Identity $user -Description "Disabled by halo-bridge for ticket $TicketId on $(Get-Date -Format s)"
if ($DisabledOU) { Move-ADObject -Identity $user.DistinguishedName -TargetPath $DisabledOU }
if ($haveExchange) {
  Set-Mailbox -Identity $UserPrincipalName -Type Shared -HiddenFromAddressListsEnabled $true
  if ($ForwardTo) { Set-Mailbox -Identity $UserPrincipalName -ForwardingAddress $ForwardTo -DeliverToMailboxAndForward $true }
} else {
  Write-Output "Exchange cmdlets not available: mailbox left as is (convert it to shared by hand)"
}
Write-Output "Leaver processed: $UserPrincipalName ($($user.SamAccountName)) disabled for ticket $TicketId"
