#!/usr/bin/env bash
# Installs PowerShell 7 (pwsh) and the Bicep CLI where this machine can get them: both come from NuGet through the
# .NET SDK. Nothing here is required: worker and infra tests run for real when the tools exist and skip otherwise.
set -u
export PATH="$PATH:$HOME/.dotnet/tools"
if ! command -v dotnet >/dev/null 2>&1; then
  echo "optional tools: no .NET SDK, skipping pwsh and bicep"
  exit 0
fi
if command -v pwsh >/dev/null 2>&1; then
  echo "optional tools: pwsh present ($(pwsh -NoLogo -NoProfile -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null))"
elif timeout 180 dotnet tool install --global PowerShell >/tmp/pwsh-install.log 2>&1; then
  echo "optional tools: installed pwsh"
else
  echo "optional tools: pwsh unavailable ($(tail -n 1 /tmp/pwsh-install.log))"
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
bicep_dir="$root/.dev/tools/bicep"
if command -v bicep >/dev/null 2>&1 || [[ -x "$bicep_dir/bicep" ]]; then
  echo "optional tools: bicep present"
else
  tmp="$(mktemp -d)"
  if (cd "$tmp" && timeout 180 dotnet new console -o probe >/dev/null 2>&1 &&
      cd probe && timeout 180 dotnet add package Azure.Bicep.CommandLine.linux-x64 >/tmp/bicep-install.log 2>&1); then
    found="$(find "$HOME/.nuget/packages/azure.bicep.commandline.linux-x64" -name bicep -type f 2>/dev/null | head -n 1)"
    if [[ -n "$found" ]]; then
      mkdir -p "$bicep_dir" && cp "$found" "$bicep_dir/bicep" && chmod +x "$bicep_dir/bicep"
      echo "optional tools: installed bicep"
    else
      echo "optional tools: bicep package restored but no binary found"
    fi
  else
    echo "optional tools: bicep unavailable ($(tail -n 1 /tmp/bicep-install.log 2>/dev/null))"
  fi
  rm -rf "$tmp"
fi
exit 0
