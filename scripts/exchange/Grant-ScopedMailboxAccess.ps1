<#
.SYNOPSIS
  Gives the halo-bridge app Mail.ReadWrite and Mail.Send on the support mailboxes only, with Exchange Online RBAC for
  Applications, and proves the scope with Test-ServicePrincipalAuthorization.

.DESCRIPTION
  Run it in the tenant that holds the support mailboxes, after Connect-ExchangeOnline as an Exchange administrator.
  Re-running is harmless: the service principal, the scope and the two role assignments are created only when missing,
  and the scope's filter is updated when the mailbox list changed.

  The app must have NO Mail.ReadWrite / Mail.Send application permission consented in Entra ID: Microsoft documents the
  Entra grant and the Exchange RBAC grant as independent and additive, so with the Entra consent in place the app can
  open every mailbox in the tenant whatever this script does. `npm run cli -- consent` never grants them, and
  `npm run cli -- check` reports a tenant-wide Mail grant as a failure.

.EXAMPLE
  Connect-ExchangeOnline -UserPrincipalName admin@contoso.com
  ./Grant-ScopedMailboxAccess.ps1 -AppId 11111111-2222-3333-4444-555555555555 `
    -ServicePrincipalObjectId 66666666-7777-8888-9999-000000000000 `
    -Mailboxes support@contoso.com, helpdesk@contoso.com -OutsideMailbox ceo@contoso.com
#>
[CmdletBinding()]
param(
  # Application (client) id of the halo-bridge Entra app.
  [Parameter(Mandatory)][string]$AppId,
  # Object id of the app's service principal (Enterprise applications) in this tenant, not the app registration's.
  [Parameter(Mandatory)][string]$ServicePrincipalObjectId,
  # The support mailboxes the integration config scans and sends from.
  [Parameter(Mandatory)][string[]]$Mailboxes,
  # A mailbox that must stay out of reach: verified as not in scope (e.g. a director's).
  [string]$OutsideMailbox = '',
  [string]$ScopeName = 'halo-bridge support mailboxes',
  [string]$DisplayName = 'halo-bridge'
)
$ErrorActionPreference = 'Stop'
$Roles = @('Application Mail.ReadWrite', 'Application Mail.Send')
$guid = '^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$'
$address = '^[^@\s'']+@[^@\s'']+\.[^@\s'']+$'

if ($AppId -notmatch $guid) { throw "AppId must be the app's client id (a GUID), got '$AppId'" }
if ($ServicePrincipalObjectId -notmatch $guid) {
  throw "ServicePrincipalObjectId must be the service principal's object id (a GUID), got '$ServicePrincipalObjectId'"
}
if ($ServicePrincipalObjectId -eq $AppId) {
  throw 'ServicePrincipalObjectId is the app id: use the object id shown under Enterprise applications for this tenant'
}
$Mailboxes = @($Mailboxes | ForEach-Object { $_.Trim() } | Where-Object { $_ } | Sort-Object -Unique)
if ($Mailboxes.Count -eq 0) { throw 'Mailboxes is empty: name the support mailboxes the app may open' }
foreach ($mailbox in $Mailboxes + @($OutsideMailbox | Where-Object { $_ })) {
  if ($mailbox -notmatch $address) { throw "'$mailbox' is not a mailbox address (name@domain.com)" }
}
if ($OutsideMailbox -and $Mailboxes -contains $OutsideMailbox) { throw "OutsideMailbox $OutsideMailbox is also in Mailboxes" }
if (-not (Get-Command New-ManagementRoleAssignment -ErrorAction SilentlyContinue)) {
  throw 'Exchange Online cmdlets not loaded: Install-Module ExchangeOnlineManagement, then Connect-ExchangeOnline as an Exchange administrator'
}

# 1. The Exchange service principal: a pointer to the Entra one.
$sp = Get-ServicePrincipal -Identity $AppId -ErrorAction SilentlyContinue
if ($sp) {
  Write-Output "service principal: present ($($sp.DisplayName))"
} else {
  $sp = New-ServicePrincipal -AppId $AppId -ObjectId $ServicePrincipalObjectId -DisplayName $DisplayName
  Write-Output "service principal: created ($DisplayName)"
}

# 2. The scope: exactly the support mailboxes (addresses are values: quotes cannot occur, see the check above).
$filter = ($Mailboxes | ForEach-Object { "(PrimarySmtpAddress -eq '$_')" }) -join ' -or '
$scope = Get-ManagementScope -Identity $ScopeName -ErrorAction SilentlyContinue
if (-not $scope) {
  New-ManagementScope -Name $ScopeName -RecipientRestrictionFilter $filter | Out-Null
  Write-Output "management scope '$ScopeName': created for $($Mailboxes.Count) mailbox(es)"
} elseif ($scope.RecipientFilter -ne $filter) {
  Set-ManagementScope -Identity $ScopeName -RecipientRestrictionFilter $filter
  Write-Output "management scope '$ScopeName': updated to $($Mailboxes.Count) mailbox(es)"
} else {
  Write-Output "management scope '$ScopeName': unchanged"
}

# 3. One role assignment per permission, limited to the scope.
$existing = @(Get-ManagementRoleAssignment -RoleAssignee $AppId -ErrorAction SilentlyContinue)
foreach ($role in $Roles) {
  $match = $existing | Where-Object { $_.Role -eq $role -and $_.CustomResourceScope -eq $ScopeName }
  if ($match) {
    Write-Output "role '$role': already assigned on '$ScopeName'"
    continue
  }
  $wide = $existing | Where-Object { $_.Role -eq $role -and -not $_.CustomResourceScope }
  if ($wide) { Write-Warning "role '$role' is also assigned without a scope ($($wide.Name)): remove it with Remove-ManagementRoleAssignment" }
  $name = "$DisplayName $($role -replace '^Application ', '')"
  New-ManagementRoleAssignment -Name $name -App $AppId -Role $role -CustomResourceScope $ScopeName | Out-Null
  Write-Output "role '$role': assigned on '$ScopeName'"
}

# 4. Proof: every role in scope for each support mailbox, none for the outside one.
$problems = @()
foreach ($mailbox in $Mailboxes) {
  $rows = @(Test-ServicePrincipalAuthorization -Identity $AppId -Resource $mailbox)
  foreach ($role in $Roles) {
    $row = $rows | Where-Object RoleName -EQ $role
    if (-not ($row -and $row.InScope)) { $problems += "$mailbox is not in scope for $role" }
  }
}
if ($OutsideMailbox) {
  $rows = @(Test-ServicePrincipalAuthorization -Identity $AppId -Resource $OutsideMailbox)
  foreach ($row in $rows | Where-Object InScope) {
    $problems += "$OutsideMailbox is in scope for $($row.RoleName) ($($row.AllowedResourceScope)): the app can open mailboxes outside the support list"
  }
}
if ($problems) { throw "scoped mailbox access NOT verified:`n  $($problems -join "`n  ")" }
Write-Output "Scoped mailbox access verified: $($Roles -join ', ') on $($Mailboxes -join ', ')$(if ($OutsideMailbox) { "; $OutsideMailbox out of reach" })"
Write-Output 'Exchange caches these permissions for 30 minutes to 2 hours before Graph honours a change.'
