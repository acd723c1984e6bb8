package dev.recall.agent.telemetry.alert;

import dev.recall.agent.log.Log;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Posts alert notifications to webhooks (an alert rule's {@code webhook:}), as JSON with a Slack-compatible
 * {@code text} and the notification's fields. Never on an application thread, nor on the sampler's: one daemon
 * thread of its own sends, each post with a 5 s timeout, retried twice with a growing pause (1 s, then 4 s) on a
 * failure or a status outside 2xx; a post that still fails is counted and said once per address. At most
 * {@link #MAX_WAITING} posts wait; more are dropped and counted, so a receiver that is down or slow costs memory
 * bounded by that and no caller anything.
 *
 * <p>Shared: the executor is thread-safe, the counters atomic. The HTTP client is made by the sender thread at
 * its first post and only ever used there: most JVMs configure no webhook, and a client costs a selector
 * thread of its own and some 300 classes (TLS among them) for nothing.
 */
final class Webhooks {

    static final int MAX_WAITING = 100;
    private static final int ATTEMPTS = 3;
    private static final long[] PAUSE_MILLIS = {1_000, 4_000};

    /** Read and written by the sender thread only. */
    private HttpClient http;
    private final ScheduledThreadPoolExecutor sender = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "recall-webhooks");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    /** Queues a post of {@code text} and {@code fields} to {@code url}; returns at once. */
    void post(URI url, String text, Map<String, Object> fields) {
        if (sender.getQueue().size() >= MAX_WAITING) {
            failures.incrementAndGet();
            Log.warnOnce("webhook-full|" + url.getHost(), "alert webhook " + url.getHost() + ": " + MAX_WAITING
                    + " posts are waiting (the receiver is down or slow); further ones are dropped and counted");
            return;
        }
        String body = json(text, fields);
        sender.execute(() -> attempt(url, body, 1));
    }

    private void attempt(URI url, String body, int attempt) {
        String failure;
        try {
            if (http == null) {
                http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            }
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() / 100 == 2) {
                delivered.incrementAndGet();
                return;
            }
            failure = "HTTP " + r.statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            failure = e.toString();
        }
        if (attempt < ATTEMPTS) {
            sender.schedule(() -> attempt(url, body, attempt + 1), PAUSE_MILLIS[attempt - 1], TimeUnit.MILLISECONDS);
            return;
        }
        failures.incrementAndGet();
        Log.warnOnce("webhook|" + url, "alert webhook " + url + " failed " + ATTEMPTS + " times (last: " + failure
                + "); the notification is dropped there (it was logged and sent over JMX), counted in WebhookFailureCount");
    }

    long delivered() {
        return delivered.get();
    }

    long failures() {
        return failures.get();
    }

    /** {@code {"text": ..., field: value, ...}}: strings quoted and escaped, numbers and booleans as they are. */
    static String json(String text, Map<String, Object> fields) {
        StringBuilder b = new StringBuilder("{\"text\":");
        string(b, text);
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            b.append(',');
            string(b, f.getKey());
            b.append(':');
            Object v = f.getValue();
            if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
                b.append("null");
            } else if (v instanceof Number || v instanceof Boolean) {
                b.append(v instanceof Double d ? String.format(Locale.ROOT, "%s", d) : v.toString());
            } else if (v == null) {
                b.append("null");
            } else {
                string(b, v.toString());
            }
        }
        return b.append('}').toString();
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
