package dev.recall.agent.telemetry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.recall.agent.config.MetricsSettings;
import dev.recall.agent.log.Log;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code metrics.prometheus}: the meters in the Prometheus text format at {@code /metrics}, served by the JDK's
 * HTTP server on one daemon thread of the agent's. A scrape reads the same counters JMX does; nothing is kept
 * for it between scrapes. A port that cannot be had is said once, and the application runs on without it.
 *
 * <p>Started once, on the agent's background thread; the server's own thread serves the scrapes.
 */
public final class PrometheusEndpoint {

    private final HttpServer server;
    private final ExecutorService thread;

    private PrometheusEndpoint(HttpServer server, ExecutorService thread) {
        this.server = server;
        this.thread = thread;
    }

    /** @return the endpoint, or {@code null} if it could not listen (said on stderr) */
    public static PrometheusEndpoint start(MetricsSettings.Prometheus settings, PrometheusMeterRegistry registry) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 16);
        } catch (IOException | RuntimeException e) {
            Log.warn("metrics.prometheus: cannot listen on " + settings.host() + ":" + settings.port() + " (" + e
                    + "); the meters are not served over HTTP, the application and the agent run on. Choose a free port "
                    + "(or 0 for any) in metrics.prometheus.port");
            return null;
        }
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "recall-prometheus");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(thread);
        server.createContext("/metrics", exchange -> scrape(exchange, registry));
        server.start();
        Log.info("metrics.prometheus: serving the meters at http://" + settings.host() + ":" + server.getAddress().getPort()
                + "/metrics");
        return new PrometheusEndpoint(server, thread);
    }

    private static void scrape(HttpExchange exchange, PrometheusMeterRegistry registry) throws IOException {
        try (exchange) {
            byte[] body;
            int status;
            try {
                body = registry.scrape().getBytes(StandardCharsets.UTF_8);
                status = 200;
            } catch (RuntimeException e) {
                Log.once("prometheus-scrape", "metrics.prometheus: a scrape failed; it answers 500", e);
                body = ("scrape failed: " + e + "\n").getBytes(StandardCharsets.UTF_8);
                status = 500;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The port it listens on (the one chosen when 0 was asked). */
    int port() {
        return server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
        thread.shutdownNow();
    }
}
