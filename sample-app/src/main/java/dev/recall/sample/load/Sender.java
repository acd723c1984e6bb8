package dev.recall.sample.load;

import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Sends requests over one shared {@link HttpClient} (HTTP/1.1, so each request in flight has its own
 * connection, as browsers and most load balancers do) and turns whatever comes back into an {@link Outcome}.
 *
 * <p>Thread-safe: the JDK client is, and this class keeps no other state.
 *
 * <p>Response bytes are counted as: the status line as {@code HTTP/1.1 <code> <reason>\r\n} with the
 * standard reason phrase, every header as {@code name: value\r\n}, the blank line, and the body as
 * received. The client hides the raw bytes, so this is a reconstruction; it is exact for servers that
 * send standard reason phrases and no chunked encoding.
 */
final class Sender implements AutoCloseable {

    private final HttpClient client;
    private final Duration timeout;

    Sender(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Never completes exceptionally: failures become outcomes. */
    CompletableFuture<Outcome> send(PlannedRequest request) {
        long bytesOut = request.wireBytes();
        try {
            return client.sendAsync(request.toHttpRequest(timeout), HttpResponse.BodyHandlers.ofByteArray())
                    .handle((response, failure) -> failure == null
                            ? outcome(request, response, bytesOut)
                            : failed(request, failure, bytesOut));
        } catch (RuntimeException e) {
            // sendAsync refuses some requests up front (e.g. a bad header); report it like any other failure.
            return CompletableFuture.completedFuture(failed(request, e, bytesOut));
        }
    }

    /** {@link #send} and wait: for closed-loop clients, which have nothing else to do meanwhile. */
    Outcome sendAndWait(PlannedRequest request) {
        try {
            return send(request).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(request, e, request.wireBytes());
        } catch (ExecutionException e) {
            return failed(request, e.getCause(), request.wireBytes());
        }
    }

    /**
     * Closes the client's idle connections where the JDK can (HttpClient is AutoCloseable from JDK 21);
     * on JDK 17 they are left to the garbage collector and the server's idle timeout.
     */
    @Override
    public void close() {
        if ((Object) client instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // Nothing is in flight any more; a failure to close changes no figure.
            }
        }
    }

    private static Outcome outcome(PlannedRequest request, HttpResponse<byte[]> response, long bytesOut) {
        long now = System.nanoTime();
        long bytesIn = statusLineBytes(response.statusCode()) + headerBytes(response.headers()) + response.body().length;
        return new Outcome(request.endpoint(), response.statusCode(), Outcome.Failure.NONE,
                serverMicros(response.headers()), bytesOut, bytesIn, now);
    }

    private static Outcome failed(PlannedRequest request, Throwable failure, long bytesOut) {
        long now = System.nanoTime();
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        boolean timeout = cause instanceof HttpTimeoutException;
        // A refused connection sent nothing; a timed-out request was (as far as we can tell) on the wire.
        return new Outcome(request.endpoint(), 0, timeout ? Outcome.Failure.TIMEOUT : Outcome.Failure.IO, -1,
                timeout ? bytesOut : 0, 0, now);
    }

    /**
     * The {@code dur} of the {@code app} metric in {@code Server-Timing: app;dur=12.3}, in microseconds; the
     * first metric's {@code dur} if none is called {@code app}; -1 if there is none or it does not parse.
     */
    static long serverMicros(HttpHeaders headers) {
        long first = -1;
        for (String value : headers.allValues("server-timing")) {
            for (String metric : value.split(",")) {
                String[] parts = metric.trim().split(";");
                for (int i = 1; i < parts.length; i++) {
                    String p = parts[i].trim();
                    if (p.toLowerCase(Locale.ROOT).startsWith("dur=")) {
                        try {
                            long micros = Math.round(Double.parseDouble(p.substring(4).trim()) * 1000);
                            if (micros < 0) {
                                break;
                            }
                            if (parts[0].trim().equals("app")) {
                                return micros;
                            }
                            if (first < 0) {
                                first = micros;
                            }
                        } catch (NumberFormatException e) {
                            // A malformed metric says nothing about processing time; look at the others.
                        }
                    }
                }
            }
        }
        return first;
    }

    private static long headerBytes(HttpHeaders headers) {
        long n = 2; // the blank line ending the headers
        for (Map.Entry<String, List<String>> h : headers.map().entrySet()) {
            if (h.getKey().startsWith(":")) {
                continue; // HTTP/2 pseudo-headers are not on an HTTP/1.1 wire
            }
            int name = h.getKey().getBytes(StandardCharsets.US_ASCII).length;
            for (String v : h.getValue()) {
                n += name + 2 + v.getBytes(StandardCharsets.ISO_8859_1).length + 2;
            }
        }
        return n;
    }

    static int statusLineBytes(int status) {
        return "HTTP/1.1 ".length() + 3 + 1 + reason(status).length() + 2;
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
    }
}
