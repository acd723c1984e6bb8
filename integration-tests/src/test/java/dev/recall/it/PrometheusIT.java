package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.metrics.MetricsApp;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code metrics.prometheus} scraped by a real Prometheus server (the binary {@code .ci/run} installs, started
 * here on loopback ports with a 1 s scrape of the application), then asked over its HTTP API: the meters are
 * there under Micrometer's cache names and Prometheus' naming practice, and agree with the MBeans; every
 * expression of the Grafana dashboard finds its series.
 */
class PrometheusIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String PRICE = "dev.recall.it.app.metrics.MetricsApp.price(int)";
    private static final String STOCK = "dev.recall.it.app.metrics.MetricsApp.stock(int)";

    @TempDir
    Path dir;

    static Path prometheusBinary() {
        String configured = System.getenv("PROMETHEUS_BIN");
        for (String candidate : new String[] {configured, "/usr/bin/prometheus", "/usr/local/bin/prometheus"}) {
            if (candidate != null && Files.isExecutable(Paths.get(candidate))) {
                return Paths.get(candidate);
            }
        }
        return Containers.missing("PrometheusIT needs a Prometheus server binary: set PROMETHEUS_BIN, or install Debian's "
                + "prometheus package (bash .ci/run does)");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * {@link MetricsApp} with {@code metrics.prometheus}, scraped every second by a Prometheus of the test's own,
     * until the load has stopped and two more scrapes have been taken: what Prometheus holds no longer moves.
     */
    private final class Scraped implements AutoCloseable {
        final AppJvm.Running app;
        final String api;
        private Process prometheus;
        private Result result;

        Scraped(int seconds) throws Exception {
            Path binary = prometheusBinary();
            int appPort = freePort();
            Path config = dir.resolve("recall.yml");
            Files.writeString(config, "metrics:\n  prometheus:\n    port: " + appPort + "\n");
            app = AppJvm.main(MetricsApp.class).agentOptions("config=" + config).jvmArg("-Drecall.jmx.delay=0s")
                    .args(Integer.toString(seconds)).start();
            int promPort = freePort();
            while (promPort == appPort) {
                // The application may not have bound its port yet: the same free port can come back.
                promPort = freePort();
            }
            api = "http://127.0.0.1:" + promPort;
            try {
                app.awaitLine("ready", Duration.ofSeconds(30));
                Path promConfig = dir.resolve("prometheus.yml");
                Files.writeString(promConfig, String.join("\n",
                        "global:",
                        "  scrape_interval: 1s",
                        "  scrape_timeout: 900ms",
                        "scrape_configs:",
                        "  - job_name: recall",
                        "    static_configs:",
                        "      - targets: ['127.0.0.1:" + appPort + "']",
                        ""));
                prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + promConfig,
                        "--web.listen-address=127.0.0.1:" + promPort, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                        "--storage.tsdb.retention.time=1h")
                        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
                awaitReady(api, prometheus);
                app.awaitLine("figures printed", Duration.ofSeconds(60));
                Thread.sleep(2_500);
            } catch (Exception | AssertionError e) {
                close();
                throw e;
            }
        }

        /** Ends the application; what it printed (the MBeans' figures). */
        Result stop() {
            if (result == null) {
                app.send("exit");
                result = app.await(Duration.ofSeconds(20)).assertSucceeded();
            }
            return result;
        }

        String log() throws IOException {
            return Files.readString(dir.resolve("prometheus.log"));
        }

        @Override
        public void close() {
            try {
                stop();
            } finally {
                if (prometheus != null) {
                    prometheus.destroy();
                }
            }
        }
    }

    @Test
    void aRealPrometheusScrapesTheMetersAndTheyAgreeWithTheMBeans() throws Exception {
        try (Scraped s = new Scraped(8)) {
            double hits = value(s.api, "cache_gets_total{result=\"hit\",method=\"" + PRICE + "\"}");
            double misses = value(s.api, "cache_gets_total{result=\"miss\",method=\"" + PRICE + "\"}");
            double saved = value(s.api, "recall_saved_seconds_total{method=\"" + PRICE + "\"}");
            double failures = value(s.api, "cache_loads_seconds_count{result=\"failure\",method=\"" + STOCK + "\"}");
            Result printed = s.stop();
            assertEquals(Double.parseDouble(printed.value("mbean.price.HitCount")), hits, "hits, as the MBean says\n" + s.log());
            assertEquals(Double.parseDouble(printed.value("mbean.price.MissCount")), misses, "misses");
            assertEquals(Double.parseDouble(printed.value("mbean.price.SavedLatencyMillis")) / 1000, saved, 1e-3,
                    "saved, in seconds");
            assertEquals(Double.parseDouble(printed.value("mbean.stock.LoadFailureCount")), failures, "failed loads");
            assertTrue(hits > 100 && misses >= 40, "a real load: " + hits + " hits, " + misses + " misses");
        }
    }

    /**
     * The dashboard's expressions, each asked of a Prometheus that scraped the application: every one finds
     * series, so no panel of {@code docs/grafana-recall.json} names a meter the agent does not export.
     */
    @Test
    void everyExpressionOfTheGrafanaDashboardFindsItsSeries() throws Exception {
        Path dashboard = Paths.get(System.getProperty("recall.it.root", "..")).resolve("docs/grafana-recall.json");
        String json = Files.readString(dashboard);
        List<String> expressions = new ArrayList<>();
        Matcher m = Pattern.compile("\"expr\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        while (m.find()) {
            expressions.add(m.group(1).replace("\\\"", "\"").replace("$method", ".*"));
        }
        assertTrue(expressions.size() >= 7, "the dashboard's panels: " + expressions);
        try (Scraped s = new Scraped(6)) {
            Set<String> empty = new LinkedHashSet<>();
            for (String expr : expressions) {
                String body = query(s.api, expr);
                if (!body.contains("\"result\":[{")) {
                    empty.add(expr + " -> " + body);
                }
            }
            assertTrue(empty.isEmpty(), "dashboard expressions with no series:\n" + String.join("\n", empty));
        }
    }

    @Test
    void aPortInUseIsSaidClearlyAndTheApplicationRunsOn() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path config = dir.resolve("recall.yml");
            Files.writeString(config, "metrics:\n  prometheus:\n    port: " + taken.getLocalPort() + "\n");
            AppJvm.Running app = AppJvm.main(MetricsApp.class).agentOptions("config=" + config)
                    .jvmArg("-Drecall.jmx.delay=0s").args("4").start(); // long enough for ids to come round on a busy machine
            app.awaitLine("figures printed", Duration.ofSeconds(30));
            app.send("exit");
            Result r = app.await(Duration.ofSeconds(20)).assertSucceeded();
            assertTrue(r.stderrText().contains("metrics.prometheus: cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    && r.stderrText().contains("Choose a free port"), r::toString);
            assertTrue(Long.parseLong(r.value("mbean.price.HitCount")) > 0, "the application ran, cached\n" + r);
        }
    }

    private static void awaitReady(String api, Process prometheus) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!prometheus.isAlive()) {
                throw new AssertionError("prometheus exited with " + prometheus.exitValue());
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("prometheus did not become ready at " + api);
    }

    private static String query(String api, String expr) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/query?query="
                + URLEncoder.encode(expr, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), expr + " -> " + r.body());
        return r.body();
    }

    /** The one value of an instant query. */
    private static double value(String api, String expr) throws Exception {
        String body = query(api, expr);
        Matcher m = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]").matcher(body);
        assertTrue(m.find(), expr + " has no value: " + body);
        double v = Double.parseDouble(m.group(1));
        assertTrue(!m.find(), expr + " has several series: " + body);
        return v;
    }
}
