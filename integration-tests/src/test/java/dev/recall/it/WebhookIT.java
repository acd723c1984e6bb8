package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.recall.it.app.metrics.AlertApp;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert webhooks ({@code webhook:} in an alert rule) against a local HTTP receiver: exactly one raised and one
 * cleared post per crossing, with Slack's {@code text} and the notification's fields; a receiver that is slow
 * delays no application call, and one that is down is counted.
 */
class WebhookIT {

    @TempDir
    Path dir;

    private Path config(int port) throws Exception {
        Path file = dir.resolve("alerts.yml");
        Files.writeString(file, String.join("\n",
                "alerts:",
                "  - name: lookups-missing",
                "    metric: hitRatio",
                "    below: 0.5",
                "    over: 2s",
                "    minCalls: 10",
                "    method: dev.recall.it.app.metrics.AlertApp#lookup(..)",
                "    webhook: http://127.0.0.1:" + port + "/hook",
                ""));
        return file;
    }

    private Result run(Path config, String... args) {
        return AppJvm.main(AlertApp.class).agentOptions("config=" + config)
                .jvmArg("-Drecall.jmx.delay=0s", "-Drecall.sampleInterval=250ms").args(args).timeout(Duration.ofSeconds(60))
                .run().assertSucceeded();
    }

    @Test
    void oneRaisedAndOneClearedPostPerCrossing() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            Result r = run(config(receiver.getAddress().getPort()));
            Thread.sleep(500);
            assertEquals(2, bodies.size(), "one raised, one cleared: " + bodies + "\n" + r);
            ObjectMapper json = new ObjectMapper();
            JsonNode raised = json.readTree(bodies.get(0));
            JsonNode cleared = json.readTree(bodies.get(1));
            assertEquals("raised", raised.get("state").asText(), bodies.get(0));
            assertEquals("cleared", cleared.get("state").asText(), bodies.get(1));
            assertTrue(raised.get("text").asText().contains("hitRatio of dev.recall.it.app.metrics.AlertApp.lookup(int)"),
                    "Slack's text: " + bodies.get(0));
            assertEquals("lookups-missing", raised.get("alert").asText());
            assertEquals("dev.recall.it.app.metrics.AlertApp.lookup(int)", raised.get("method").asText());
            assertEquals(0.5, raised.get("threshold").asDouble());
            assertEquals("below", raised.get("direction").asText());
            assertEquals("0", r.value("webhookFailures"));
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void aSlowReceiverDelaysNoCallAndOneThatIsDownIsCounted() throws Exception {
        HttpServer slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slow.setExecutor(Executors.newCachedThreadPool());
        slow.createContext("/hook", exchange -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        slow.start();
        try {
            Result r = run(config(slow.getAddress().getPort()));
            long longest = Long.parseLong(r.value("longestCallMillis"));
            // The receiver holds each post 10 s; a call that waited for one would take that long.
            assertTrue(longest < 1_000, "the longest call took " + longest + " ms\n" + r);
        } finally {
            slow.stop(0);
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Result down = run(config(closed), "wait-failures");
        assertTrue(Long.parseLong(down.value("webhookFailures")) >= 1, down::toString);
        assertTrue(down.stderrText().contains("alert webhook http://127.0.0.1:" + closed + "/hook failed 3 times"), down::toString);
        assertTrue(Long.parseLong(down.value("longestCallMillis")) < 1_000, down::toString);
    }
}
