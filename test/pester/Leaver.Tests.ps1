BeforeAll {
  . (Join-Path $PSScriptRoot 'CmdletStubs.ps1')
  $script:Script = Join-Path $PSScriptRoot '../../worker/examples/scripts/leaver.ps1'
  $script:Success = Get-ConfiguredSuccessText 'leaver'
  $script:Halo = @{ TicketId = 1003; UserPrincipalName = 'sam.leaver@contoso.com' }
  $script:User = [pscustomobject]@{
    SamAccountName = 'sam.leaver'; DistinguishedName = 'CN=Sam Leaver,OU=Staff,DC=contoso,DC=com'
    MemberOf = @('CN=Sales,OU=Groups,DC=contoso,DC=com', 'CN=VPN,OU=Groups,DC=contoso,DC=com')
  }
}
AfterAll { Remove-CmdletStub $StubNames }

Describe 'leaver.ps1' {
  BeforeEach {
    Mock Get-ADUser { $User }
    Mock Disable-ADAccount { }
    Mock Remove-ADGroupMember { }
    Mock Set-ADUser { }
    Mock Move-ADObject { }
    Mock Set-Mailbox { }
  }

  It 'disables the account, removes every group, hides and converts the mailbox, prints the success text' {
    $Success | Should -Be 'Leaver processed'
    $output = & $Script @Halo
    ($output -join "`n") | Should -BeLike "*$Success*sam.leaver@contoso.com*ticket 1003*"
    Should -Invoke Get-ADUser -Times 1 -Exactly -ParameterFilter { $Filter -eq "UserPrincipalName -eq 'sam.leaver@contoso.com'" }
    Should -Invoke Disable-ADAccount -Times 1 -Exactly -ParameterFilter { $Identity.SamAccountName -eq 'sam.leaver' }
    Should -Invoke Remove-ADGroupMember -Times 1 -Exactly -ParameterFilter { $Identity -eq 'CN=Sales,OU=Groups,DC=contoso,DC=com' }
    Should -Invoke Remove-ADGroupMember -Times 1 -Exactly -ParameterFilter { $Identity -eq 'CN=VPN,OU=Groups,DC=contoso,DC=com' }
    Should -Invoke Set-ADUser -Times 1 -Exactly -ParameterFilter { $Description -like '*ticket 1003*' }
    Should -Invoke Set-Mailbox -Times 1 -Exactly -ParameterFilter {
      $Identity -eq 'sam.leaver@contoso.com' -and $Type -eq 'Shared' -and $HiddenFromAddressListsEnabled -eq $true
    }
    Should -Invoke Move-ADObject -Times 0
  }

  It 'moves the account to the disabled OU and forwards mail when asked' {
    & $Script @Halo -DisabledOU 'OU=Disabled,DC=contoso,DC=com' -ForwardTo 'boss@contoso.com' | Out-Null
    Should -Invoke Move-ADObject -Times 1 -Exactly -ParameterFilter {
      $Identity -eq 'CN=Sam Leaver,OU=Staff,DC=contoso,DC=com' -and $TargetPath -eq 'OU=Disabled,DC=contoso,DC=com'
    }
    Should -Invoke Set-Mailbox -Times 1 -Exactly -ParameterFilter {
      $ForwardingAddress -eq 'boss@contoso.com' -and $DeliverToMailboxAndForward -eq $true
    }
  }

  It 'keeps a quote in the UPN inside the filter string' {
    & $Script -TicketId 1003 -UserPrincipalName "o'neil@contoso.com" | Out-Null
    Should -Invoke Get-ADUser -Times 1 -Exactly -ParameterFilter { $Filter -eq "UserPrincipalName -eq 'o''neil@contoso.com'" }
  }

  It 'fails clearly when no AD user has the UPN, disabling nothing' {
    Mock Get-ADUser { $null }
    { & $Script @Halo } | Should -Throw '*No Active Directory user has the UPN sam.leaver@contoso.com*'
    Should -Invoke Disable-ADAccount -Times 0
  }

  It 'refuses <Case> before touching the directory' -ForEach @(
    @{ Case = 'a UPN that is a display name'; Extra = @{ UserPrincipalName = 'Sam Leaver' }; Message = '*UserPrincipalName must look like name@domain.com*' }
    @{ Case = 'a forward address that is not an address'; Extra = @{ ForwardTo = 'the boss' }; Message = '*ForwardTo must be an email address*' }
    @{ Case = 'a disabled OU that is not a DN'; Extra = @{ DisabledOU = 'Disabled users' }; Message = '*DisabledOU must be a distinguished name*' }
  ) {
    $halo = $Halo.Clone(); foreach ($key in $Extra.Keys) { $halo[$key] = $Extra[$key] }
    { & $Script @halo } | Should -Throw $Message
    Should -Invoke Get-ADUser -Times 0
    Should -Invoke Disable-ADAccount -Times 0
  }

  It 'without the ActiveDirectory module, prints the plan and exits 3' {
    $run = Invoke-WithoutModules $Script $Halo
    $run.ExitCode | Should -Be 3
    $run.Output | Should -BeLike "*ActiveDirectory module not available*Get-ADUser -Filter *UserPrincipalName -eq 'sam.leaver@contoso.com'*Set-Mailbox*"
    $run.Output | Should -Not -BeLike "*$Success*"
  }
}
