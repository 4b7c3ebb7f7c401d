using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;
namespace Quiz.Sandbox;

/// <summary>Updates on their way to the bot: the webhook POST with its secret, redelivery, and the getUpdates queue.</summary>
public sealed partial class SandboxState
{
    private HttpStatusCode? AllowedOrNoContent(string updateType)
    {
        var allowed = _allowedUpdates.Count == 0
            ? !NotSentByDefault.Contains(updateType, StringComparer.Ordinal)
            : _allowedUpdates.Contains(updateType, StringComparer.Ordinal);
        if (allowed)
        {
            return null;
        }

        _logger.LogWarning("A {UpdateType} update was not sent: the bot's allowed_updates [{Allowed}] leave it out", updateType, string.Join(", ", _allowedUpdates));
        return HttpStatusCode.NoContent;
    }

    /// <summary>Under the lock: gives the update its id and either queues it for getUpdates or says where to POST it.</summary>
    private Delivery Enqueue(string updateType, Func<int, Update> create)
    {
        if (AllowedOrNoContent(updateType) is { } skipped)
        {
            return new Delivery(null, null, skipped);
        }

        var update = create(++_lastUpdateId);
        _lastUpdate = update;
        if (_webhook is null)
        {
            _pending.Add(new PendingUpdate(update));
            return new Delivery(update, null, HttpStatusCode.OK);
        }

        return new Delivery(update, _webhook, null);
    }

    private Task<HttpStatusCode> DeliverAsync(Delivery delivery, CancellationToken ct) =>
        delivery is { Hook: { } hook, Update: { } update } ? PostUpdateAsync(hook, update, ct) : Task.FromResult(delivery.Immediate ?? HttpStatusCode.OK);

    private async Task<HttpStatusCode> DeliverAndRecordAsync(Delivery delivery, StoredMessage message, CancellationToken ct)
    {
        try
        {
            var status = await DeliverAsync(delivery, ct);
            lock (_lock)
            {
                message.DeliveryStatus = delivery.Hook is null ? null : (int)status;
                message.Version = Touch();
            }

            return status;
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException)
        {
            lock (_lock)
            {
                message.DeliveryStatus = 502;
                message.DeliveryError = ex.Message;
                message.Version = Touch();
            }

            throw;
        }
    }

    private async Task<HttpStatusCode> PostUpdateAsync(WebhookRegistration hook, Update update, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(update, SandboxJson.Write);
        var giveUpAt = _time.GetUtcNow() + _options.RedeliverFor;
        for (var attempt = 0; ; attempt++)
        {
            var last = _options.RedeliverFor <= TimeSpan.Zero || _time.GetUtcNow() >= giveUpAt;
            try
            {
                var status = await PostAsync(hook.Url, hook.SecretToken, body, ct, update);
                if ((int)status is >= 200 and < 300 || last)
                {
                    return status;
                }
            }
            catch (Exception ex) when (!last && ex is HttpRequestException or TimeoutException)
            {
                _logger.LogDebug("Update {UpdateId} not delivered: {Error}", update.Id, ex.Message);
            }

            Interlocked.Increment(ref _redeliveries);
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(8, 1 << Math.Min(attempt, 3))), _time, ct);
        }
    }

    private async Task<HttpStatusCode> PostAsync(string url, string? secretToken, string body, CancellationToken ct, Update? update = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        HttpResponseMessage response;
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new ByteArrayContent(bytes) { Headers = { ContentType = new("application/json") } },
            };
            if (secretToken is not null)
            {
                request.Headers.TryAddWithoutValidation(SecretTokenHeader, secretToken);
            }

            try
            {
                response = await _webhookClient.SendAsync(request, ct);
                break;
            }
            catch (HttpRequestException ex) when (attempt == 1 && ex.HttpRequestError == HttpRequestError.ResponseEnded)
            {
                // A pooled keep-alive connection that the server closed just then: Telegram, too, delivers again.
                _logger.LogDebug("The webhook closed the connection before answering; delivering again");
            }
            catch (HttpRequestException ex)
            {
                RecordWebhookError(ex.Message);
                throw new HttpRequestException($"The sandbox could not deliver to the webhook {url}: {ex.Message}", ex, ex.StatusCode);
            }
            catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
            {
                RecordWebhookError("Timeout expired");
                throw new TimeoutException($"The webhook {url} did not answer within {_webhookClient.Timeout.TotalSeconds:0} s.", ex);
            }
        }

        using (response)
        {
            var status = response.StatusCode;
            var what = update is null ? "A raw update" : $"Update {update.Id} ({update.Type})";
            if (!response.IsSuccessStatusCode)
            {
                RecordWebhookError($"Wrong response from the webhook: {(int)status} {response.ReasonPhrase}");
                _logger.LogWarning("{What} → webhook answered {Status}", what, (int)status);
                return status;
            }

            _logger.LogInformation("{What} → webhook answered {Status}", what, (int)status);
            lock (_lock)
            {
                if (_lastDeliveryFailed)
                {
                    _lastDeliveryFailed = false;
                    Touch();
                }
            }

            await ExecuteWebhookReplyAsync(response, ct);
            return status;
        }
    }

    /// <summary>Telegram runs a Bot API call that the webhook puts in its response body ({"method":"sendMessage",...}).</summary>
    private async Task ExecuteWebhookReplyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(ct);
        if (string.IsNullOrWhiteSpace(body))
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("method", out var method)
                && method.ValueKind == JsonValueKind.String)
            {
                var name = method.GetString()!;
                await BotApi.ExecuteAsync(this, name, BotRequest.FromJson(document.RootElement), ct);
                _logger.LogInformation("Ran {Method} from the webhook's response", name);
            }
        }
        catch (JsonException)
        {
            // Telegram ignores a body it cannot read.
        }
        catch (BotApiException ex)
        {
            _logger.LogWarning("The webhook's response asked for a Bot API call that failed: {ErrorCode} {Description}", ex.ErrorCode, ex.Message);
        }
    }

    private async Task FlushPendingAsync()
    {
        try
        {
            while (true)
            {
                WebhookRegistration? hook;
                PendingUpdate? next;
                lock (_lock)
                {
                    hook = _webhook;
                    next = _pending.Count > 0 ? _pending[0] : null;
                    if (hook is null || next is null)
                    {
                        _flushing = false;
                        return;
                    }
                }

                var status = await PostUpdateAsync(hook, next.Update, _stopping.Token);
                lock (_lock)
                {
                    if ((int)status is < 200 or > 299)
                    {
                        _flushing = false;
                        return;
                    }

                    _pending.Remove(next);
                    Touch();
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            _logger.LogWarning("Updates queued before the webhook was set were not all delivered: {Error}", ex.Message);
            lock (_lock)
            {
                _flushing = false;
            }
        }
    }

    private void RecordWebhookError(string message)
    {
        lock (_lock)
        {
            _lastWebhookError = message;
            _lastWebhookErrorAt = _time.GetUtcNow();
            _lastDeliveryFailed = true;
            Touch();
        }
    }

    private void RegisterRawCallbackQuery(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("callback_query", out var query)
                && query.ValueKind == JsonValueKind.Object
                && query.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
            {
                var chatId = query.TryGetProperty("from", out var from) && from.TryGetProperty("id", out var fromId) && fromId.TryGetInt64(out var v) ? v : 0;
                _callbackQueries.TryAdd(id.GetString()!, new CallbackQueryState(chatId, chatId));
            }
        }
        catch (JsonException)
        {
            // A raw body may be deliberately malformed.
        }
    }

    private Update[]? TakePending(int take)
    {
        if (_pending.Count == 0)
        {
            return null;
        }

        var batch = _pending.Take(take).ToList();
        foreach (var p in batch)
        {
            p.IgnoresOffset = false;
        }

        return [.. batch.Select(p => p.Update)];
    }

    private async Task<T?> WaitAsync<T>(Func<T?> probe, TimeSpan timeout, CancellationToken ct)
        where T : class
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                var value = probe();
                if (value is not null)
                {
                    return value;
                }

                changed = _changed.Task;
            }

            var remaining = timeout - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero || _stopping.IsCancellationRequested)
            {
                return null;
            }

            try
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _stopping.Token);
                await changed.WaitAsync(remaining, linked.Token);
            }
            catch (TimeoutException)
            {
                return null;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return null;
            }
        }
    }
}
