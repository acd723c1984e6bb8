package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.sample.rates.ExchangeRatesServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, shortened: the demo runs both phases, checks answers and writes its report. */
class DemoIT {

    private static final Path SAMPLE_JAR = Paths.get(System.getProperty("recall.it.sampleJar"));

    @Test
    void theDemoRunsBothPhasesChecksTheAnswersAndWritesItsReport(@TempDir Path out) throws Exception {
        Path root = SAMPLE_JAR.getParent().getParent().getParent();
        Result r = AppJvm.jar(SAMPLE_JAR).withoutAgent().timeout(Duration.ofMinutes(4))
                .args("demo", "--warmup", "3s", "--duration", "6s", "--out", out.toString(),
                        "--agent", root.resolve("agent/target/recall-agent.jar").toString(),
                        "--config", root.resolve("sample-app/recall.yml").toString(),
                        "--jfr", root.resolve("docs/recall.jfc").toString())
                .run().assertSucceeded();
        String text = String.join("\n", r.stdout());
        assertTrue(text.contains("correctness (with agent): 80 of 80 sampled responses equal the database's current values"), text);
        assertTrue(text.matches("(?s).*ProductRepository\\.categoryStats\\(String\\)\\s+READ_THROUGH\\s+\\d.*"), "the agent's figures: " + text);
        assertTrue(text.matches("(?s).*ExchangeRatesClient\\.rate\\(String,String\\)\\s+READ_THROUGH\\s+\\d.*"), text);
        // A 6 s phase: the rates API stops answering for 2 s in its middle, in both phases.
        assertTrue(text.contains("== The outage: the exchange-rates API stopped answering for 2s, from 2s to 4s"), text);
        assertTrue(text.matches("(?s).*without agent: price requests: \\d+ of \\d+ failed.*"), text);
        assertTrue(text.matches("(?s).*the agent \\(ExchangeRatesClient.rate, over JMX\\): \\d+ stale rates served.*"), text);
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("## The outage"), report);
        assertTrue(report.contains("## What the load generator saw") && report.contains("| p90"), report);
        assertTrue(Files.size(out.resolve("latency.png")) > 10_000, "a chart was drawn");
        assertTrue(Files.exists(out.resolve("with-agent.json")) && Files.exists(out.resolve("without-agent.json")));
        assertRecordedLoads(out.resolve("with-agent.jfr"));
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains(out.toString())),
                "nothing left running");
    }

    /**
     * The recording of the service with the agent (docs/recall.jfc): load events of the demo's cached methods,
     * each as long as its load took; a rates load that succeeded waited for the API's 50 ms or more.
     */
    private static void assertRecordedLoads(Path recording) throws Exception {
        List<RecordedEvent> loads = RecordingFile.readAllEvents(recording).stream()
                .filter(e -> e.getEventType().getName().equals("dev.recall.Load")).collect(Collectors.toList());
        for (String method : List.of("ExchangeRatesClient.rate(", "ProductRepository.categoryStats(", "ProductRepository.search(",
                "ProductRepository.findProduct(")) {
            assertTrue(loads.stream().anyMatch(e -> e.getString("method").contains(method)),
                    "the recording holds loads of " + method + ": " + loads.size() + " load events");
        }
        List<RecordedEvent> rates = loads.stream()
                .filter(e -> e.getString("method").contains("ExchangeRatesClient.rate(") && e.getBoolean("succeeded"))
                .collect(Collectors.toList());
        assertFalse(rates.isEmpty(), "rates loads that succeeded");
        for (RecordedEvent e : rates) {
            assertTrue(e.getDuration().toMillis() >= ExchangeRatesServer.DEFAULT_MIN_LATENCY_MS,
                    "a rates load lasts at least the API's 50 ms: " + e);
        }
    }
}
