package dev.recall.agent.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The libraries' warnings are the agent's: on its stderr as [recall] lines, never through java.util.logging. */
class LibraryLoggersTest {

    private final List<LogRecord> jul = new ArrayList<>();
    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord record) {
            jul.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void capture() {
        Logger.getLogger("").addHandler(recorder);
        originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void release() {
        System.setErr(originalErr);
        Logger.getLogger("").removeHandler(recorder);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** The warning a Spring Boot application once showed in its own log (a meter bound twice). */
    @Test
    void micrometersWarningAboutAMeterRegisteredTwiceIsARecallLine() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicLong first = new AtomicLong();
        AtomicLong second = new AtomicLong();
        FunctionCounter.builder("recall.test.twice", first, AtomicLong::get).register(registry);
        FunctionCounter.builder("recall.test.twice", second, AtomicLong::get).register(registry);

        assertEquals(List.of(), jul.stream().map(LogRecord::getMessage).toList(), "nothing through java.util.logging");
        assertTrue(stderr().contains("[recall] WARNING: io.micrometer"), stderr());
        assertTrue(stderr().contains("already registered"), stderr());
    }

    @Test
    void aLibraryWarningIsSaidOncePerMessagePatternAndDebugIsSilent() {
        org.slf4j.Logger jedis = LoggerFactory.getLogger("dev.recall.shaded.redis.clients.jedis.Connection");
        jedis.warn("connection to {} lost", "host-a");
        jedis.warn("connection to {} lost", "host-b");
        jedis.debug("every command");
        jedis.info("connected");

        assertEquals(1, stderr().lines().filter(l -> l.contains("connection to")).count(), stderr());
        assertTrue(stderr().contains("[recall] WARNING: redis.clients.jedis.Connection: connection to host-a lost"), stderr());
        assertTrue(!stderr().contains("every command") && !stderr().contains("connected"), stderr());
        assertEquals(List.of(), jul);
    }
}
