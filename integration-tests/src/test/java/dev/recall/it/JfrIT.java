package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.metrics.MetricsApp;
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

/**
 * The agent's JFR events in a recording made as a user makes one ({@code -XX:StartFlightRecording} with
 * {@code docs/recall.jfc}), read back with {@link RecordingFile}: one {@code dev.recall.Load} per load the MBeans
 * count, each as long as the load took; and none at all with the JDK's default settings, which leave them off.
 */
class JfrIT {

    private static final Path JFC = Paths.get(System.getProperty("recall.it.root", "..")).resolve("docs/recall.jfc");

    @TempDir
    Path dir;

    private List<RecordedEvent> record(String settings, Result[] result) throws Exception {
        Path file = dir.resolve("recording-" + System.nanoTime() + ".jfr");
        AppJvm.Running app = AppJvm.main(MetricsApp.class).jvmArg("-Drecall.jmx.delay=0s",
                "-XX:StartFlightRecording:settings=" + settings + ",filename=" + file + ",dumponexit=true").args("3").start();
        app.awaitLine("figures printed", Duration.ofSeconds(60));
        app.send("exit");
        result[0] = app.await(Duration.ofSeconds(30)).assertSucceeded();
        return RecordingFile.readAllEvents(file).stream().filter(e -> e.getEventType().getName().startsWith("dev.recall."))
                .collect(Collectors.toList());
    }

    @Test
    void aRecordingWithRecallsSettingsHoldsEveryLoadWithItsDuration() throws Exception {
        Result[] run = new Result[1];
        List<RecordedEvent> events = record(JFC.toAbsolutePath().toString(), run);
        Result r = run[0];
        List<RecordedEvent> prices = events.stream().filter(e -> e.getEventType().getName().equals("dev.recall.Load")
                && e.getString("method").endsWith("MetricsApp.price(int)")).collect(Collectors.toList());
        assertEquals(Long.parseLong(r.value("mbean.price.LoadCount")), prices.size(), "one event per load\n" + r);
        for (RecordedEvent e : prices) {
            assertTrue(e.getDuration().toNanos() >= 5_000_000, "a price load sleeps 5 ms: " + e);
            assertTrue(e.getBoolean("succeeded"), e::toString);
        }
        long failed = events.stream().filter(e -> e.getEventType().getName().equals("dev.recall.Load")
                && e.getString("method").endsWith("MetricsApp.stock(int)") && !e.getBoolean("succeeded")).count();
        assertEquals(Long.parseLong(r.value("mbean.stock.LoadFailureCount")), failed, "failed loads too\n" + r);
        assertEquals(40, prices.stream().map(e -> e.getInt("keyHash")).distinct().count(), "40 keys, told apart by their hash");
    }

    @Test
    void theEventsAreOffUnlessARecordingAsksForThem() throws Exception {
        Result[] run = new Result[1];
        List<RecordedEvent> events = record("default", run);
        assertEquals(List.of(), events, "the JDK's default settings record no dev.recall event");
        assertTrue(Long.parseLong(run[0].value("mbean.price.LoadCount")) >= 40, run[0]::toString);
    }
}
