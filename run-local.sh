#!/usr/bin/env bash
# The whole system on this machine, with no outside service: a silo in embedded mode (in-memory state and
# reminders), the webhook gateway, and the Telegram sandbox, a stand-in Bot API with a chat page. The sandbox
# delivers your messages to the gateway exactly as Telegram does (webhook POST with the secret), so this takes the
# production path end to end. Ctrl+C stops everything.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

sandbox_url=${SANDBOX_URL:-http://127.0.0.1:5005}
gateway_url=${GATEWAY_URL:-http://127.0.0.1:8080}
silo_url=${SILO_URL:-http://127.0.0.1:8081}
token="123456:sandbox-token"
secret=$(od -An -N24 -tx1 /dev/urandom | tr -d " \n")

echo "building..."
for project in Quiz.Silo Quiz.Gateway Quiz.Sandbox; do
  dotnet build "$project" -nologo -v quiet -clp:ErrorsOnly
done

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

wait_for() {
  for _ in $(seq 1 120); do
    if curl -fs -o /dev/null "$1"; then return 0; fi
    sleep 0.5
  done
  echo "$2 did not come up at $1" >&2
  exit 1
}

Sandbox__BotToken=$token dotnet run --no-build --project Quiz.Sandbox -- --urls "$sandbox_url" --Sandbox:DemoGroup=true &
pids+=($!)
Telegram__BotToken=$token Telegram__ApiBaseUrl=$sandbox_url \
  dotnet run --no-build --project Quiz.Silo -- --urls "$silo_url" &
pids+=($!)
wait_for "$silo_url/health/live" "the silo"
Telegram__BotToken=$token Telegram__ApiBaseUrl=$sandbox_url Telegram__WebhookSecret=$secret \
  Telegram__WebhookUrl="$gateway_url/telegram/webhook" \
  dotnet run --no-build --project Quiz.Gateway -- --urls "$gateway_url" &
pids+=($!)
wait_for "$gateway_url/health/live" "the gateway"
wait_for "$sandbox_url/" "the sandbox"

echo
echo "  Chat with the bot at $sandbox_url/   (send /start)"
echo "  The demo group \"Data Team\" at $sandbox_url/?chatId=-1001   (press \"Add the bot\", then write or tap as any member)"
echo
wait -n "${pids[@]}"
