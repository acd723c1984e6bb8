package dev.recall.sample.http;

/**
 * Turns on TCP_NODELAY for the JDK's HTTP server. It writes a response's headers and body as two
 * packets; with Nagle's algorithm on, the second waits for the client's delayed acknowledgement, and
 * every response on a kept-alive connection takes some 40 ms longer than the work behind it.
 */
public final class NoDelay {

    private NoDelay() {
    }

    /** Must run before the first server is created: the JDK reads the setting once per JVM. */
    public static void enable() {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }
}
