package dev.recall.it.app;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * An application that watches java.util.logging, as Spring Boot does, while the agent's shaded Micrometer
 * and Jedis loggers (on the class path with -javaagent) are made to warn.
 */
public class LibraryLoggingApp {

    public static void main(String[] args) throws Exception {
        AtomicInteger records = new AtomicInteger();
        Logger.getLogger("").addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.incrementAndGet();
                System.out.println("jul.record=" + record.getLoggerName() + ": " + record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        Object micrometer = Class.forName("dev.recall.shaded.io.micrometer.common.util.internal.logging.InternalLoggerFactory")
                .getMethod("getInstance", String.class).invoke(null, "dev.recall.shaded.io.micrometer.core.instrument.MeterRegistry");
        Class.forName("dev.recall.shaded.io.micrometer.common.util.internal.logging.InternalLogger")
                .getMethod("warn", String.class).invoke(micrometer, "probe from micrometer");
        Object jedis = Class.forName("dev.recall.shaded.org.slf4j.LoggerFactory")
                .getMethod("getLogger", String.class).invoke(null, "dev.recall.shaded.redis.clients.jedis.Connection");
        Class.forName("dev.recall.shaded.org.slf4j.Logger").getMethod("warn", String.class).invoke(jedis, "probe from jedis");
        Counter.print("jul.records", records.get());
    }
}
