<#
  New starter provisioning, run when the manager's approval step is approved in Halo.
  Passing: namedParameters. Success text: "New starter provisioned".
  Needs the ActiveDirectory module (RSAT) and rights to create users in the target OU (delegate them to the
  worker's service account, e.g. NT SERVICE\HaloBridgeWorker via its computer account, or a gMSA).
  The initial password is generated here and never written to the output.
#>
param(
  [Parameter(Mandatory)][string]$FirstName,
  [Parameter(Mandatory)][string]$LastName,
  [Parameter(Mandatory)][string]$UserPrincipalName,
  [Parameter(Mandatory)][string]$OrganizationalUnit,
  [string]$JobTitle = '',
  [string]$Department = '',
  [string]$Manager = '',
  [int]$TicketId
)
$ErrorActionPreference = 'Stop'
# Halo sends custom-field text as typed: say which field is wrong before touching the directory.
foreach ($name in 'FirstName', 'LastName', 'OrganizationalUnit') {
  if ([string]::IsNullOrWhiteSpace((Get-Variable -Name $name -ValueOnly))) { throw "$name is empty: fill it in on the ticket" }
}
if ($UserPrincipalName -notmatch '^[^@\s]+@[^@\s]+\.[^@\s]+$') {
  throw "UserPrincipalName must look like name@domain.com, got '$UserPrincipalName'"
}
if ($OrganizationalUnit -notmatch '^(OU|CN)=.+,DC=') {
  throw "OrganizationalUnit must be a distinguished name like OU=Staff,DC=contoso,DC=com, got '$OrganizationalUnit'"
}
$sam = ($UserPrincipalName.Split('@')[0]) -replace '[^A-Za-z0-9._-]', ''
if ($sam.Length -gt 20) { $sam = $sam.Substring(0, 20) }

if (-not (Get-Command New-ADUser -ErrorAction SilentlyContinue)) {
  Write-Output "ActiveDirectory module not available on this server (ticket $TicketId). Would run:"
  Write-Output "  New-ADUser -Name '$FirstName $LastName' -SamAccountName '$sam' -UserPrincipalName '$UserPrincipalName' -Path '$OrganizationalUnit' -Title '$JobTitle' -Department '$Department' -Enabled `$true -ChangePasswordAtLogon `$true"
  if ($Manager) { Write-Output "  Set-ADUser -Identity '$sam' -Manager '$Manager'" }
  exit 3
}
if (Get-ADUser -Filter "UserPrincipalName -eq '$($UserPrincipalName -replace "'", "''")'" -ErrorAction SilentlyContinue) {
  throw "A user with UPN $UserPrincipalName already exists"
}
# System.Web's GeneratePassword is missing from PowerShell 7; this works in 5.1 and 7 alike.
$alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#$%*-_=+'
$bytes = [byte[]]::new(24)
[System.Security.Cryptography.RandomNumberGenerator]::Create().GetBytes($bytes)
$plain = -join ($bytes | ForEach-Object { $alphabet[$_ % $alphabet.Length] }) + 'a7!Q'
$password = ConvertTo-SecureString $plain -AsPlainText -Force
Remove-Variable plain, bytes
$user = @{
  Name                  = "$FirstName $LastName"
  GivenName             = $FirstName
  Surname               = $LastName
  SamAccountName        = $sam
  UserPrincipalName     = $UserPrincipalName
  Path                  = $OrganizationalUnit
  AccountPassword       = $password
  Enabled               = $true
  ChangePasswordAtLogon = $true
}
if ($JobTitle) { $user.Title = $JobTitle }
if ($Department) { $user.Department = $Department }
New-ADUser @user
if ($Manager) { Set-ADUser -Identity $sam -Manager $Manager }
Write-Output "New starter provisioned: $UserPrincipalName ($sam) in $OrganizationalUnit for ticket $TicketId"
