#!/usr/bin/env bash
# Regenerates Wolverine's handler code (src/FrontDoor.Server/Internal/Generated), which the server loads ahead of time
# (TypeLoadMode.Static). Run it after adding a handler or changing a handler's parameters: the old generated code no
# longer compiles then, so it is removed first, the server built without it, the code written, and the server built
# again. It uses the store the server would (Store__ConnectionString, else the embedded PostgreSQL, started and stopped).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf src/FrontDoor.Server/Internal/Generated
dotnet build src/FrontDoor.Server -c Release -nologo -clp:ErrorsOnly
(cd src/FrontDoor.Server && ASPNETCORE_ENVIRONMENT=Development Auth__Mode=Development dotnet bin/Release/net10.0/FrontDoor.Server.dll codegen write)
dotnet build src/FrontDoor.Server -c Release -nologo -clp:ErrorsOnly
