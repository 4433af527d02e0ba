BeforeAll {
  . (Join-Path $PSScriptRoot 'CmdletStubs.ps1')
  $script:Script = Join-Path $PSScriptRoot '../../worker/examples/scripts/new-starter.ps1'
  $script:Success = Get-ConfiguredSuccessText 'new-starter'
  # What Halo sends for the demo's "New starter" approval (custom fields as text, the ticket id as a number).
  $script:Halo = @{
    TicketId = 1002; FirstName = 'Zoë'; LastName = "O'Brien"; UserPrincipalName = "zoe.o'brien@contoso.com"
    OrganizationalUnit = 'OU=Staff,DC=contoso,DC=com'; Manager = 'manager@contoso.com'
  }
}
AfterAll { Remove-CmdletStub $StubNames }

Describe 'new-starter.ps1' {
  BeforeEach {
    Mock Get-ADUser { $null }
    Mock New-ADUser { }
    Mock Set-ADUser { }
  }

  It 'creates the AD user from the ticket fields and prints the configured success text' {
    $Success | Should -Be 'New starter provisioned'
    $output = & $Script @Halo
    ($output -join "`n") | Should -BeLike "*$Success*"
    Should -Invoke New-ADUser -Times 1 -Exactly -ParameterFilter {
      $Name -eq "Zoë O'Brien" -and $GivenName -eq 'Zoë' -and $Surname -eq "O'Brien" -and
      $SamAccountName -eq 'zoe.obrien' -and $UserPrincipalName -eq "zoe.o'brien@contoso.com" -and
      $Path -eq 'OU=Staff,DC=contoso,DC=com' -and $Enabled -and $ChangePasswordAtLogon -and
      $AccountPassword -is [securestring] -and $AccountPassword.Length -ge 20
    }
    Should -Invoke Set-ADUser -Times 1 -Exactly -ParameterFilter { $Identity -eq 'zoe.obrien' -and $Manager -eq 'manager@contoso.com' }
  }

  It 'looks the UPN up with its quote doubled inside the filter (a value, never code)' {
    & $Script @Halo | Out-Null
    Should -Invoke Get-ADUser -Times 1 -Exactly -ParameterFilter { $Filter -eq "UserPrincipalName -eq 'zoe.o''brien@contoso.com'" }
  }

  It 'never prints the generated password' {
    Mock New-ADUser { $global:HaloBridgeTestPassword = [System.Net.NetworkCredential]::new('', $AccountPassword).Password }
    try {
      $output = & $Script @Halo
      $HaloBridgeTestPassword.Length | Should -BeGreaterOrEqual 20
      ($output -join "`n") | Should -Not -BeLike "*$HaloBridgeTestPassword*"
    } finally { Remove-Variable -Name HaloBridgeTestPassword -Scope Global -ErrorAction SilentlyContinue }
  }

  It 'sets no manager when Halo sends none' {
    $halo = $Halo.Clone(); $halo.Remove('Manager')
    & $Script @halo | Out-Null
    Should -Invoke Set-ADUser -Times 0
  }

  It 'refuses a user that already exists, creating nothing' {
    Mock Get-ADUser { [pscustomobject]@{ SamAccountName = 'zoe.obrien' } }
    { & $Script @Halo } | Should -Throw "*already exists*"
    Should -Invoke New-ADUser -Times 0
  }

  It 'says which field is wrong: <Case>' -ForEach @(
    @{ Case = 'UPN without a domain'; Field = 'UserPrincipalName'; Value = 'zoe'; Message = '*UserPrincipalName must look like name@domain.com*' }
    @{ Case = 'OU as a display name'; Field = 'OrganizationalUnit'; Value = 'Staff'; Message = '*OrganizationalUnit must be a distinguished name*' }
    @{ Case = 'empty first name'; Field = 'FirstName'; Value = ' '; Message = '*FirstName is empty*' }
  ) {
    $halo = $Halo.Clone(); $halo[$Field] = $Value
    { & $Script @halo } | Should -Throw $Message
    Should -Invoke New-ADUser -Times 0
  }

  It 'without the ActiveDirectory module, prints the plan and exits 3' {
    $run = Invoke-WithoutModules $Script $Halo
    $run.ExitCode | Should -Be 3
    $run.Output | Should -BeLike "*ActiveDirectory module not available*New-ADUser -Name 'Zoë O'Brien'*"
    $run.Output | Should -Not -BeLike "*$Success*"
  }
}
