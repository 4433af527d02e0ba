#!/usr/bin/env bash
# Installs the tools the PowerShell, Pester and Bicep tests need, all from NuGet with their versions named (NuGet here
# serves PowerShell 7.6.9, not the 7.7.0 an unversioned install asks for):
#   pwsh 7.6.9   (.NET global tool, ~/.dotnet/tools/pwsh)
#   Bicep 0.49.2 (Azure.Bicep.CommandLine.linux-x64, copied to .dev/tools/bicep/bicep)
#   Pester 5.7.1 (PackageDownload, the module copied to .dev/tools/pester)
# Exits non-zero when a tool could not be installed; CI (CI=true) then fails, since those tests must not skip there.
set -uo pipefail
PWSH_VERSION=7.6.9
BICEP_VERSION=0.49.2
PESTER_VERSION=5.7.1
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.dev/tools"
export PATH="$PATH:$HOME/.dotnet/tools"
failed=0

if ! command -v dotnet >/dev/null 2>&1; then
  echo "tools: no .NET SDK on this machine: cannot install pwsh $PWSH_VERSION, bicep $BICEP_VERSION, pester $PESTER_VERSION"
  exit 1
fi

have_pwsh="$(pwsh -NoLogo -NoProfile -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null || true)"
if [[ "$have_pwsh" == "$PWSH_VERSION" ]]; then
  echo "tools: pwsh $PWSH_VERSION present"
else
  [[ -n "$have_pwsh" ]] && timeout 180 dotnet tool uninstall --global PowerShell >/dev/null 2>&1
  if timeout 300 dotnet tool install --global PowerShell --version "$PWSH_VERSION" >/tmp/pwsh-install.log 2>&1; then
    echo "tools: installed pwsh $(pwsh -NoLogo -NoProfile -Command '$PSVersionTable.PSVersion.ToString()')"
  else
    echo "tools: pwsh $PWSH_VERSION NOT installed: $(tail -n 3 /tmp/pwsh-install.log)"
    failed=1
  fi
fi

packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
bicep_pkg="$packages/azure.bicep.commandline.linux-x64/$BICEP_VERSION/tools/bicep"
pester_pkg="$packages/pester/$PESTER_VERSION/tools"
if [[ ! -f "$bicep_pkg" || ! -f "$pester_pkg/Pester.psd1" ]]; then
  if ! timeout 300 dotnet restore "$root/scripts/tools/tools.csproj" >/tmp/tools-restore.log 2>&1; then
    echo "tools: NuGet restore of bicep $BICEP_VERSION and pester $PESTER_VERSION failed: $(tail -n 3 /tmp/tools-restore.log)"
  fi
fi
if [[ -f "$bicep_pkg" ]]; then
  mkdir -p "$tools/bicep" && cp "$bicep_pkg" "$tools/bicep/bicep" && chmod +x "$tools/bicep/bicep"
  echo "tools: bicep $("$tools/bicep/bicep" --version | sed 's/Bicep CLI version //')"
else
  echo "tools: bicep $BICEP_VERSION NOT installed"
  failed=1
fi
if [[ -f "$pester_pkg/Pester.psd1" ]]; then
  rm -rf "$tools/pester" && mkdir -p "$tools" && cp -r "$pester_pkg" "$tools/pester"
  echo "tools: pester $PESTER_VERSION ($tools/pester)"
else
  echo "tools: pester $PESTER_VERSION NOT installed"
  failed=1
fi
rm -rf "$root/scripts/tools/obj" "$root/scripts/tools/bin"
exit "$failed"
