package dev.recall.sample.load;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One request to send: what it is for (its endpoint), and what goes on the wire.
 *
 * @param body the JSON body of a PUT, or {@code null}
 */
public record PlannedRequest(Endpoint endpoint, String method, URI uri, String body) {

    /** JDK 19 stopped sending {@code Content-Length: 0} with bodiless GETs built by {@code GET()} (JDK-8283544). */
    private static final boolean EMPTY_CONTENT_LENGTH = Runtime.version().feature() < 19;
    private static final String USER_AGENT = "Java-http-client/" + System.getProperty("java.version");

    public HttpRequest toHttpRequest(Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
        if (body == null) {
            return method.equals("GET") ? b.GET().build() : b.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        return b.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }

    /**
     * The bytes this request puts on the wire over HTTP/1.1: request line, the headers the JDK client
     * sends ({@code Content-Length}, {@code Host}, {@code User-Agent}, plus ours), the blank line and the
     * body. The client does not expose what it wrote, so this rebuilds it; it is exact for the JDK
     * client's HTTP/1.1 requests on JDK 17 and 25 (checked against a raw socket in the tests).
     */
    public long wireBytes() {
        int bodyBytes = body == null ? 0 : body.getBytes(StandardCharsets.UTF_8).length;
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        long n = line(method + " " + target + " HTTP/1.1");
        if (body != null || EMPTY_CONTENT_LENGTH || !method.equals("GET")) {
            n += line("Content-Length: " + bodyBytes);
        }
        n += line("Host: " + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort()));
        n += line("User-Agent: " + USER_AGENT);
        if (body != null) {
            n += line("Content-Type: application/json");
        }
        return n + 2 + bodyBytes;
    }

    private static int line(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length + 2;
    }
}
