package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code metrics.globalRegistry: true} in a Spring Boot application with Actuator and its Prometheus registry
 * (the pet clinic): the agent's meters, made by its shaded Micrometer's twin in the application's own Micrometer,
 * appear at {@code /actuator/prometheus} next to Spring's, named as Micrometer's cache binders name theirs.
 */
class ActuatorIT {

    private static final Path JAR = Paths.get(System.getProperty("recall.it.petclinicJar",
            "petclinic/target/petclinic.jar"));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    @Test
    void theAgentsMetersAreInActuatorsPrometheusEndpoint() throws Exception {
        Path config = dir.resolve("recall.yml");
        Files.writeString(config, String.join("\n",
                "metrics:",
                "  globalRegistry: true",
                "methods:",
                "  - method: com.acme.petclinic.VetRepository#findBySpecialtyOrderByLastName(..)",
                ""));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        AppJvm.Running app = AppJvm.jar(JAR).agentOptions("config=" + config)
                .jvmArg("-Xmx512m", "-Drecall.jmx.delay=0s").args("--server.port=" + port, "--server.address=127.0.0.1").start();
        String scrape = "";
        try {
            awaitReady(base, app);
            for (int i = 0; i < 3; i++) {
                get(base.resolve("vets/find?specialty=surgery"));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Pattern hits = Pattern.compile("cache_gets_total\\{[^}]*method=\"com\\.acme\\.petclinic\\.VetRepository"
                    + "\\.findBySpecialtyOrderByLastName\\(java\\.lang\\.String\\)\"[^}]*result=\"hit\"[^}]*\\} ([0-9.]+)");
            while (System.nanoTime() < deadline) {
                scrape = get(base.resolve("actuator/prometheus"));
                Matcher m = hits.matcher(scrape);
                if (m.find() && Double.parseDouble(m.group(1)) >= 2) {
                    break;
                }
                Thread.sleep(500);
            }
            String all = scrape;
            Matcher m = hits.matcher(scrape);
            assertTrue(m.find() && Double.parseDouble(m.group(1)) >= 2, "two hits of the vets' derived query, in Actuator's scrape:\n"
                    + grepRecall(all));
            for (String name : List.of("cache_gets_total{", "cache_loads_seconds_count{", "recall_saved_seconds_total{",
                    "cache_size{")) {
                assertTrue(scrape.lines().anyMatch(l -> l.startsWith(name) && l.contains("method=\"com.acme.petclinic.VetRepository"
                        + ".findBySpecialtyOrderByLastName(java.lang.String)\"")), name + " for the repository:\n" + grepRecall(all));
            }
            assertTrue(scrape.contains("jvm_memory_used_bytes"), "Spring's own meters are there too");
        } finally {
            app.stop();
            Result r = app.await(Duration.ofSeconds(30));
            assertTrue(r.stderrText().contains("metrics.globalRegistry: the meters are also in the application's Micrometer"),
                    r.stderrText());
        }
    }

    private static String grepRecall(String scrape) {
        StringBuilder b = new StringBuilder();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("cache_") || line.startsWith("recall_")) {
                b.append(line).append('\n');
            }
        }
        return b.length() == 0 ? "(no cache_ or recall_ line)" : b.toString();
    }

    private static String get(URI uri) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() == 200, uri + " answered " + r.statusCode());
        return r.body();
    }

    private static void awaitReady(URI base, AppJvm.Running app) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        ProcessHandle process = ProcessHandle.of(app.pid()).orElseThrow();
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(base.resolve("actuator/health")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive()) {
                throw new AssertionError("the pet clinic exited before it answered");
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the pet clinic did not answer within 120 s");
    }
}
