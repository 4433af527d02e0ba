BeforeAll {
  . (Join-Path $PSScriptRoot 'CmdletStubs.ps1')
  $script:Script = Join-Path $PSScriptRoot '../../scripts/exchange/Grant-ScopedMailboxAccess.ps1'
  $script:AppId = '11111111-2222-3333-4444-555555555555'
  $script:SpId = '66666666-7777-8888-9999-000000000000'
  $script:Given = @{
    AppId = $AppId; ServicePrincipalObjectId = $SpId
    Mailboxes = @('support@contoso.com', 'helpdesk@contoso.com'); OutsideMailbox = 'ceo@contoso.com'
  }
  $script:Filter = "(PrimarySmtpAddress -eq 'helpdesk@contoso.com') -or (PrimarySmtpAddress -eq 'support@contoso.com')"
  function global:AuthorizationRows([bool]$InScope) {
    foreach ($role in 'Application Mail.ReadWrite', 'Application Mail.Send') {
      [pscustomobject]@{ RoleName = $role; AllowedResourceScope = 'halo-bridge support mailboxes'; InScope = $InScope }
    }
  }
}
AfterAll { Remove-CmdletStub $StubNames }

Describe 'Grant-ScopedMailboxAccess.ps1' {
  BeforeEach {
    Mock Get-ServicePrincipal { $null }
    Mock New-ServicePrincipal { [pscustomobject]@{ DisplayName = 'halo-bridge'; AppId = $AppId } }
    Mock Get-ManagementScope { $null }
    Mock New-ManagementScope { }
    Mock Set-ManagementScope { }
    Mock Get-ManagementRoleAssignment { @() }
    Mock New-ManagementRoleAssignment { }
    Mock Test-ServicePrincipalAuthorization { AuthorizationRows $true }
    Mock Test-ServicePrincipalAuthorization { AuthorizationRows $false } -ParameterFilter { $Resource -eq 'ceo@contoso.com' }
  }

  It 'creates the service principal, a scope of exactly the support mailboxes and both scoped role assignments' {
    $output = & $Script @Given
    Should -Invoke New-ServicePrincipal -Times 1 -Exactly -ParameterFilter {
      $AppId -eq '11111111-2222-3333-4444-555555555555' -and $ObjectId -eq '66666666-7777-8888-9999-000000000000' -and $DisplayName -eq 'halo-bridge'
    }
    Should -Invoke New-ManagementScope -Times 1 -Exactly -ParameterFilter {
      $Name -eq 'halo-bridge support mailboxes' -and $RecipientRestrictionFilter -eq $Filter
    }
    foreach ($wanted in 'Application Mail.ReadWrite', 'Application Mail.Send') {
      Should -Invoke New-ManagementRoleAssignment -Times 1 -Exactly -ParameterFilter {
        $App -eq '11111111-2222-3333-4444-555555555555' -and $Role -eq $wanted -and $CustomResourceScope -eq 'halo-bridge support mailboxes'
      }
    }
    Should -Invoke New-ManagementRoleAssignment -Times 2 -Exactly
    ($output -join "`n") | Should -BeLike '*Scoped mailbox access verified*ceo@contoso.com out of reach*'
  }

  It 'proves the scope with Test-ServicePrincipalAuthorization for every mailbox and the outside one' {
    & $Script @Given | Out-Null
    foreach ($mailbox in 'support@contoso.com', 'helpdesk@contoso.com', 'ceo@contoso.com') {
      Should -Invoke Test-ServicePrincipalAuthorization -Times 1 -Exactly -ParameterFilter { $Identity -eq $AppId -and $Resource -eq $mailbox }
    }
  }

  It 'changes nothing on a second run when everything is in place' {
    Mock Get-ServicePrincipal { [pscustomobject]@{ DisplayName = 'halo-bridge' } }
    Mock Get-ManagementScope { [pscustomobject]@{ Name = 'halo-bridge support mailboxes'; RecipientFilter = $Filter } }
    Mock Get-ManagementRoleAssignment {
      foreach ($role in 'Application Mail.ReadWrite', 'Application Mail.Send') {
        [pscustomobject]@{ Name = "halo-bridge $role"; Role = $role; CustomResourceScope = 'halo-bridge support mailboxes' }
      }
    }
    $output = & $Script @Given
    Should -Invoke New-ServicePrincipal -Times 0
    Should -Invoke New-ManagementScope -Times 0
    Should -Invoke Set-ManagementScope -Times 0
    Should -Invoke New-ManagementRoleAssignment -Times 0
    ($output -join "`n") | Should -BeLike '*unchanged*already assigned*already assigned*verified*'
  }

  It 'updates the scope when the mailbox list changed' {
    Mock Get-ManagementScope { [pscustomobject]@{ Name = 'halo-bridge support mailboxes'; RecipientFilter = "(PrimarySmtpAddress -eq 'old@contoso.com')" } }
    & $Script @Given | Out-Null
    Should -Invoke Set-ManagementScope -Times 1 -Exactly -ParameterFilter { $RecipientRestrictionFilter -eq $Filter }
    Should -Invoke New-ManagementScope -Times 0
  }

  It 'fails when the outside mailbox is reachable (an unscoped grant), naming it' {
    Mock Test-ServicePrincipalAuthorization { AuthorizationRows $true } -ParameterFilter { $Resource -eq 'ceo@contoso.com' }
    { & $Script @Given } | Should -Throw '*NOT verified*ceo@contoso.com is in scope for Application Mail.ReadWrite*'
  }

  It 'fails when a support mailbox is not in scope' {
    Mock Test-ServicePrincipalAuthorization { AuthorizationRows $false } -ParameterFilter { $Resource -eq 'helpdesk@contoso.com' }
    { & $Script @Given } | Should -Throw '*helpdesk@contoso.com is not in scope for Application Mail.Send*'
  }

  It 'refuses <Case> before calling Exchange' -ForEach @(
    @{ Case = 'an app id that is not a GUID'; Extra = @{ AppId = 'halo-bridge' }; Message = "*AppId must be the app's client id*" }
    @{ Case = 'the app id as the object id'; Extra = @{ ServicePrincipalObjectId = '11111111-2222-3333-4444-555555555555' }; Message = '*ServicePrincipalObjectId is the app id*' }
    @{ Case = 'a mailbox that is not an address'; Extra = @{ Mailboxes = @('Support Team') }; Message = "*'Support Team' is not a mailbox address*" }
    @{ Case = 'a quote in an address'; Extra = @{ Mailboxes = @("x')-or(Name -like '*@contoso.com") }; Message = '*is not a mailbox address*' }
    @{ Case = 'the outside mailbox in the list'; Extra = @{ OutsideMailbox = 'support@contoso.com' }; Message = '*also in Mailboxes*' }
  ) {
    $arguments = $Given.Clone(); foreach ($key in $Extra.Keys) { $arguments[$key] = $Extra[$key] }
    { & $Script @arguments } | Should -Throw $Message
    Should -Invoke Get-ServicePrincipal -Times 0
    Should -Invoke New-ManagementScope -Times 0
  }

  It 'says to connect first when the Exchange cmdlets are not loaded' {
    $run = Invoke-WithoutModules $Script @{ AppId = $AppId; ServicePrincipalObjectId = $SpId; Mailboxes = 'support@contoso.com' }
    $run.ExitCode | Should -Not -Be 0
    $run.Output | Should -BeLike '*Connect-ExchangeOnline*'
  }
}
