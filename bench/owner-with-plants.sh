#!/usr/bin/env bash
# Registers an owner with 100 plants on a running Helio (started with Accounts:RequireConfirmedEmail=false)
# and prints an access token for them. Usage: bench/owner-with-plants.sh http://127.0.0.1:5099
set -euo pipefail
base=$1
email="bench.$RANDOM$RANDOM@example.com"
curl -fs -XPOST "$base/api/v1/account/register" -H 'content-type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"benchmark password\",\"name\":\"Bench\",\"country\":\"DE\",\"dateOfBirth\":\"1980-04-01\"}" >/dev/null
token=$(curl -fs -XPOST "$base/api/v1/auth/token" -H 'content-type: application/json' \
  -d "{\"login\":\"$email\",\"password\":\"benchmark password\"}" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
for i in $(seq 1 100); do
  curl -fs -XPOST "$base/api/v1/plants" -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d "{\"name\":\"Plant $i\",\"latitude\":48.1,\"longitude\":11.5,\"timeZone\":\"Europe/Berlin\",\"capacityKwp\":9.9}" >/dev/null
done
echo "$token"
