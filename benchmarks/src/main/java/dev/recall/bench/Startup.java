package dev.recall.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up cost: the time from launching the sample service to its first answer, without and with the
 * agent, runs interleaved so that a machine busier for a moment hurts both alike; and the agent's own
 * premain time as it reports it. The service is seeded with a small catalogue so that the figure is
 * about the JVM and the agent, not the database.
 */
final class Startup {

    record Figures(List<Long> plainMillis, List<Long> agentMillis, List<Long> premainMillis) {
        static long median(List<Long> values) {
            List<Long> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            return sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
        }
    }

    private static final Pattern PREMAIN = Pattern.compile("\\[recall] agent \\S+ started in (\\d+) ms");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();

    private Startup() {
    }

    static Figures measure(Path sampleJar, Path agentJar, Path config, int runs) throws Exception {
        List<Long> plain = new ArrayList<>();
        List<Long> agent = new ArrayList<>();
        List<Long> premain = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            plain.add(once(sampleJar, null, null, null));
            agent.add(once(sampleJar, agentJar, config, premain));
        }
        return new Figures(plain, agent, premain);
    }

    private static long once(Path sampleJar, Path agentJar, Path config, List<Long> premain) throws Exception {
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        if (agentJar != null) {
            cmd.add("-javaagent:" + agentJar + "=config=" + config);
        }
        cmd.addAll(List.of("-jar", sampleJar.toString(), "serve", "--port", Integer.toString(port),
                "--products", "200", "--reviews", "2000", "--rates-url", "http://127.0.0.1:9/"));
        java.io.File log = java.io.File.createTempFile("recall-startup-", ".log");
        log.deleteOnExit();
        long began = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
        try {
            URI health = URI.create("http://127.0.0.1:" + port + "/health");
            while (true) {
                try {
                    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("the sample service died:\n"
                                + java.nio.file.Files.readString(log.toPath(), StandardCharsets.UTF_8));
                    }
                    Thread.sleep(5);
                }
                if (System.nanoTime() - began > 60_000_000_000L) {
                    throw new IllegalStateException("the sample service did not answer within a minute");
                }
            }
            long millis = (System.nanoTime() - began) / 1_000_000;
            p.destroy();
            p.waitFor();
            String output = java.nio.file.Files.readString(log.toPath(), StandardCharsets.UTF_8);
            if (premain != null) {
                Matcher m = PREMAIN.matcher(output);
                if (m.find()) {
                    premain.add(Long.parseLong(m.group(1)));
                }
            }
            return millis;
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
