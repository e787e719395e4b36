#!/usr/bin/env bash
# The release of one runtime: the native `ingress`, the native service and the trace viewer, as an archive and as a
# .NET tool.
#
#   bash build/release.sh [RID] [--no-tool]      (RID: linux-x64 by default)
#
# Writes, under artifacts/ (or $ARTIFACTS):
#   ingress-RID/          the unpacked archive: ingress, service/httpserver (+ its appsettings.json), and on linux-x64
#                         dashboard/ (the trace viewer `ingress up` starts)
#   ingress-RID.tar.gz    that folder, packed
#   packages/             the .NET tool: ingress.1.0.0.nupkg (the package users install) and ingress.RID.1.0.0.nupkg
#                         (the native build it points to); `dotnet tool install -g ingress --add-source artifacts/packages`
# Prints how long each step took.
set -euo pipefail
cd "$(dirname "$0")/.."

rid="${1:-linux-x64}"
tool=1
[ "${2:-}" = "--no-tool" ] && tool=0
artifacts="$(realpath -m "${ARTIFACTS:-artifacts}")"
stage="$artifacts/ingress-$rid"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

step() { local started=$SECONDS; "$@"; echo "release: $(( SECONDS - started )) s: ${*:0:4}"; }

bash build/native-prerequisites.sh
rm -rf "$stage" "$stage.tar.gz"
mkdir -p "$stage"

# The service first: the tool's package bundles it (BundleDirectory below).
step dotnet publish src/HttpServer -c Release -r "$rid" -o "$stage/service" -nologo -v quiet
rm -f "$stage/service/"*.dbg "$stage/service/"*.pdb "$stage/service/"*.staticwebassets.*.json
mv "$stage/service/HttpServer" "$stage/service/httpserver"

# The trace viewer: a native executable inside a NuGet package that restoring the tool downloads (linux-x64 only).
if [ "$rid" = linux-x64 ]; then
  dotnet restore src/Ingress.Cli -nologo -v quiet
  version=$(sed -n 's/.*PackageDownload Include="Aspire.Dashboard.Sdk.linux-x64" Version="\[\(.*\)\]".*/\1/p' src/Ingress.Cli/Ingress.Cli.csproj)
  viewer="${NUGET_PACKAGES:-$HOME/.nuget/packages}/aspire.dashboard.sdk.linux-x64/$version/tools"
  cp -r "$viewer" "$stage/dashboard"
  chmod +x "$stage/dashboard/Aspire.Dashboard"
fi

step dotnet publish src/Ingress.Cli -c Release -r "$rid" -o "$stage" -nologo -v quiet

step tar -czf "$stage.tar.gz" -C "$artifacts" "ingress-$rid"
echo "release: $stage.tar.gz ($(du -h "$stage.tar.gz" | cut -f1)); ingress $(du -h "$stage/ingress" | cut -f1), httpserver $(du -h "$stage/service/httpserver" | cut -f1)"

if [ "$tool" -eq 1 ]; then
  # The tool: one package per runtime holding the native build plus the bundle, and the package users install, which
  # names them (.NET SDK 10's RID-specific tools).
  rm -rf "$artifacts/packages"
  bundle="$artifacts/bundle-$rid"
  rm -rf "$bundle" && mkdir -p "$bundle"
  cp -r "$stage/service" "$bundle/"
  [ -d "$stage/dashboard" ] && cp -r "$stage/dashboard" "$bundle/"
  step dotnet pack src/Ingress.Cli -c Release -r "$rid" -o "$artifacts/packages" -nologo -v quiet -p:BundleDirectory="$bundle" -p:ToolPackageRuntimeIdentifiers="$rid"
  [ -f "$artifacts/packages/ingress.$rid.1.0.0.nupkg" ] || { ls -l "$artifacts/packages"; echo "release: no ingress.$rid.1.0.0.nupkg"; exit 1; }
  step dotnet pack src/Ingress.Cli -c Release -o "$artifacts/packages" -nologo -v quiet -p:ToolPackageRuntimeIdentifiers="$rid"
  rm -rf "$bundle"
  ls -l "$artifacts/packages"
fi
