# Stand-ins for the ActiveDirectory and ExchangeOnlineManagement cmdlets, which are not installed where the tests run.
# Each declares the real cmdlet's parameters the scripts use, so Pester's Mock can bind and filter on them; calling
# one that a test did not mock fails loudly.
function script:NotMocked([string]$Name) { throw "$Name was called but not mocked by the test" }

function global:Get-ADUser { param($Identity, [string]$Filter, [string[]]$Properties) NotMocked 'Get-ADUser' }
function global:New-ADUser {
  param([string]$Name, [string]$GivenName, [string]$Surname, [string]$SamAccountName, [string]$UserPrincipalName,
    [string]$Path, [securestring]$AccountPassword, [bool]$Enabled, [bool]$ChangePasswordAtLogon, [string]$Title,
    [string]$Department)
  NotMocked 'New-ADUser'
}
function global:Set-ADUser { param($Identity, $Manager, [string]$Description) NotMocked 'Set-ADUser' }
function global:Disable-ADAccount { param($Identity) NotMocked 'Disable-ADAccount' }
function global:Remove-ADGroupMember { param($Identity, $Members, [switch]$Confirm) NotMocked 'Remove-ADGroupMember' }
function global:Move-ADObject { param($Identity, [string]$TargetPath) NotMocked 'Move-ADObject' }

function global:Set-Mailbox {
  param($Identity, [string]$Type, $HiddenFromAddressListsEnabled, [string]$ForwardingAddress,
    $DeliverToMailboxAndForward, $ProhibitSendQuota, $ProhibitSendReceiveQuota, $IssueWarningQuota,
    $UseDatabaseQuotaDefaults)
  NotMocked 'Set-Mailbox'
}
function global:Get-Mailbox { param($Identity) NotMocked 'Get-Mailbox' }
function global:Get-ServicePrincipal { param($Identity) NotMocked 'Get-ServicePrincipal' }
function global:New-ServicePrincipal { param([string]$AppId, [string]$ObjectId, [string]$DisplayName) NotMocked 'New-ServicePrincipal' }
function global:Get-ManagementScope { param($Identity) NotMocked 'Get-ManagementScope' }
function global:New-ManagementScope { param([string]$Name, [string]$RecipientRestrictionFilter) NotMocked 'New-ManagementScope' }
function global:Set-ManagementScope { param($Identity, [string]$RecipientRestrictionFilter) NotMocked 'Set-ManagementScope' }
function global:Get-ManagementRoleAssignment { param($Identity, $Role, $RoleAssignee) NotMocked 'Get-ManagementRoleAssignment' }
function global:New-ManagementRoleAssignment { param([string]$Name, [string]$App, [string]$Role, [string]$CustomResourceScope) NotMocked 'New-ManagementRoleAssignment' }
function global:Test-ServicePrincipalAuthorization { param($Identity, $Resource) NotMocked 'Test-ServicePrincipalAuthorization' }

$script:StubNames = @(
  'Get-ADUser', 'New-ADUser', 'Set-ADUser', 'Disable-ADAccount', 'Remove-ADGroupMember', 'Move-ADObject',
  'Set-Mailbox', 'Get-Mailbox', 'Get-ServicePrincipal', 'New-ServicePrincipal', 'Get-ManagementScope',
  'New-ManagementScope', 'Set-ManagementScope', 'Get-ManagementRoleAssignment', 'New-ManagementRoleAssignment',
  'Test-ServicePrincipalAuthorization'
)

# Takes a module's cmdlets away, as on a server without RSAT or the Exchange module.
function global:Remove-CmdletStub([string[]]$Names) {
  foreach ($name in $Names) { Remove-Item -Path "function:global:$name" -ErrorAction SilentlyContinue }
}

# The success text the demo's integration config expects from a script (dev/demo-data/integration.json).
function global:Get-ConfiguredSuccessText([string]$ScriptName) {
  $config = Get-Content -Raw (Join-Path $PSScriptRoot '../../dev/demo-data/integration.json') | ConvertFrom-Json
  ($config.scripts | Where-Object name -EQ $ScriptName).success.text
}

# Runs a script in a fresh pwsh with none of the stubs: a server without RSAT or the Exchange module.
function global:Invoke-WithoutModules([string]$Path, [hashtable]$Parameters) {
  # The same PowerShell as this one; as a .NET global tool, that is `dotnet pwsh.dll`.
  $pwsh = [Environment]::ProcessPath
  [string[]]$dll = if ((Split-Path -Leaf $pwsh) -like 'dotnet*') { @([Environment]::GetCommandLineArgs()[0]) } else { @() }
  $arguments = foreach ($key in $Parameters.Keys) { "-$key"; "$($Parameters[$key])" }
  $output = & $pwsh @dll -NoLogo -NoProfile -NonInteractive -File $Path @arguments 2>&1
  [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
}
