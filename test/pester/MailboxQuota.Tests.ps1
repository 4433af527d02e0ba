BeforeAll {
  . (Join-Path $PSScriptRoot 'CmdletStubs.ps1')
  $script:Script = Join-Path $PSScriptRoot '../../worker/examples/scripts/mailbox-quota.ps1'
  $script:Success = Get-ConfiguredSuccessText 'mailbox-quota'
  # Halo's custom field CFMailboxQuotaGB arrives as text.
  $script:Halo = @{ TicketId = 1001; Mailbox = 'alex@contoso.com'; QuotaGB = '50' }
}
AfterAll { Remove-CmdletStub $StubNames }

Describe 'mailbox-quota.ps1' {
  BeforeEach { Mock Set-Mailbox { } }

  It 'sets the three quotas (warning at 90 %) and prints the configured success text' {
    $Success | Should -Be 'Quota updated'
    $output = & $Script @Halo
    ($output -join "`n") | Should -BeLike "*$Success*alex@contoso.com*50 GB*"
    Should -Invoke Set-Mailbox -Times 1 -Exactly -ParameterFilter {
      $Identity -eq 'alex@contoso.com' -and $ProhibitSendQuota -eq '50GB' -and $ProhibitSendReceiveQuota -eq '50GB' -and
      $IssueWarningQuota -eq '45GB' -and $UseDatabaseQuotaDefaults -eq $false
    }
  }

  It 'refuses <Case> with a clear message and changes nothing' -ForEach @(
    @{ Case = 'a quota over 100 GB'; Quota = '500'; Mailbox = 'alex@contoso.com'; Message = '*QuotaGB must be between 1 and 100, got 500*' }
    @{ Case = 'a zero quota'; Quota = '0'; Mailbox = 'alex@contoso.com'; Message = '*QuotaGB must be between 1 and 100, got 0*' }
    @{ Case = 'text where a number belongs'; Quota = 'fifty'; Mailbox = 'alex@contoso.com'; Message = '*QuotaGB*fifty*' }
    @{ Case = 'a mailbox that is not an address'; Quota = '50'; Mailbox = 'Alex Smith'; Message = "*Mailbox must be an email address, got 'Alex Smith'*" }
  ) {
    { & $Script -TicketId 1001 -Mailbox $Mailbox -QuotaGB $Quota } | Should -Throw $Message
    Should -Invoke Set-Mailbox -Times 0
  }

  It 'without the Exchange cmdlets, prints the plan and exits 3' {
    $run = Invoke-WithoutModules $Script $Halo
    $run.ExitCode | Should -Be 3
    $run.Output | Should -BeLike "*Would run:*Set-Mailbox -Identity 'alex@contoso.com' -ProhibitSendQuota 50GB*"
    $run.Output | Should -Not -BeLike "*$Success*"
  }
}
