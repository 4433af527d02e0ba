# halo-bridge worker bootstrap: the only script the worker hands to PowerShell with -File. It takes everything
# from environment variables set by the worker, so no value is ever parsed as code or as a parameter name.
#   HALO_BRIDGE_SCRIPT          full path of the script to run (already checked to be inside the script folder)
#   HALO_BRIDGE_PASSING         namedParameters | scriptVariables | base64Json
#   HALO_BRIDGE_PARAMS          name:type:base64 entries joined by ';' (type s string, n number, b boolean, z null)
#   HALO_BRIDGE_PARAMS_B64JSON  base64 of the parameters as UTF-8 JSON (the base64Json method passes this on)
# Internal names start with __hb so they do not collide with the script's own variables.
$ErrorActionPreference = 'Stop'
$__hbUtf8 = New-Object System.Text.UTF8Encoding $false
[Console]::OutputEncoding = $__hbUtf8
$OutputEncoding = $__hbUtf8

$__hbScript = $env:HALO_BRIDGE_SCRIPT
$__hbPassing = $env:HALO_BRIDGE_PASSING
$__hbB64Json = $env:HALO_BRIDGE_PARAMS_B64JSON
$__hbParams = [ordered]@{}
if ($env:HALO_BRIDGE_PARAMS) {
  foreach ($__hbEntry in $env:HALO_BRIDGE_PARAMS.Split(';')) {
    $__hbParts = $__hbEntry.Split(':')
    $__hbText = $__hbUtf8.GetString([System.Convert]::FromBase64String($__hbParts[2]))
    switch ($__hbParts[1]) {
      's' { $__hbValue = $__hbText }
      'b' { $__hbValue = ($__hbText -eq 'true') }
      'z' { $__hbValue = $null }
      'n' {
        if ($__hbText -match '^-?\d{1,18}$') { $__hbValue = [long]::Parse($__hbText, [Globalization.CultureInfo]::InvariantCulture) }
        else { $__hbValue = [double]::Parse($__hbText, [Globalization.CultureInfo]::InvariantCulture) }
      }
    }
    $__hbParams[$__hbParts[0]] = $__hbValue
  }
}
foreach ($__hbName in @('HALO_BRIDGE_SCRIPT', 'HALO_BRIDGE_PASSING', 'HALO_BRIDGE_PARAMS', 'HALO_BRIDGE_PARAMS_B64JSON')) {
  Remove-Item -Path "Env:$__hbName" -ErrorAction SilentlyContinue
}

# 'Stop' guards the decoding above; the script itself runs with PowerShell's default, as it would by hand or under
# Halo's Integrator (a non-terminating error must not abort it half-way).
$ErrorActionPreference = 'Continue'
$global:LASTEXITCODE = 0
switch ($__hbPassing) {
  'namedParameters' {
    $__hbSplat = @{}
    foreach ($__hbKey in $__hbParams.Keys) { $__hbSplat[$__hbKey] = $__hbParams[$__hbKey] }
    & $__hbScript @__hbSplat
  }
  'scriptVariables' {
    foreach ($__hbKey in $__hbParams.Keys) { Set-Variable -Name $__hbKey -Value $__hbParams[$__hbKey] -Scope Script }
    . $__hbScript
  }
  'base64Json' {
    & $__hbScript $__hbB64Json
  }
  default {
    [Console]::Error.WriteLine("unknown parameter passing method: $__hbPassing")
    exit 2
  }
}
if ($global:LASTEXITCODE -ne 0) { exit $global:LASTEXITCODE }
exit 0
