package dev.recall.it;

import dev.recall.it.app.redis.RedisApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One application JVM driven line by line on stdin ({@link RedisApp}, {@code WriteBackApp}), started with
 * the real agent jar and a configuration file, and the protocol that drives it: {@link #call} sends a
 * command and returns the parsed answer.
 */
final class LineAppJvm implements AutoCloseable {

    /** A command's answer: {@code done COMMAND | name=value ... value=WHAT IT RETURNED}. */
    record Reply(String line, Map<String, String> fields, String value) {

        static Reply parse(String line) {
            int bar = line.indexOf(" |");
            String rest = line.substring(bar + 2);
            String value = null;
            int v = rest.indexOf(" value=");
            if (v >= 0) {
                value = rest.substring(v + " value=".length());
                rest = rest.substring(0, v);
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (String part : rest.trim().split(" ")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    fields.put(part.substring(0, eq), part.substring(eq + 1));
                }
            }
            if (rest.contains(" error=")) {
                fields.put("error", rest.substring(rest.indexOf(" error=") + " error=".length()));
            }
            return new Reply(line, fields, value);
        }

        String field(String name) {
            String f = fields.get(name);
            if (f == null) {
                throw new AssertionError("no '" + name + "=' in: " + line);
            }
            return f;
        }

        int calls() {
            return Integer.parseInt(field("calls"));
        }

        boolean ok() {
            return Boolean.parseBoolean(field("ok"));
        }

        String name() {
            return field("name");
        }

        long number(String name) {
            return Long.parseLong(field(name));
        }

        /** Fails unless the command ran without an exception reaching the caller. */
        Reply noError() {
            if (fields.containsKey("error")) {
                throw new AssertionError("the caller saw an exception: " + line);
            }
            return this;
        }
    }

    private final String name;
    private final AppJvm.Running jvm;
    private Result result;

    private LineAppJvm(String name, AppJvm.Running jvm) {
        this.name = name;
        this.jvm = jvm;
    }

    /**
     * Starts {@code main} with {@code config}, its "database" in {@code db}. MBeans are registered 100 ms
     * after start, so the test can read them early.
     */
    static LineAppJvm start(String name, Class<?> main, Path config, Path db, String... jvmArgs) {
        AppJvm app = AppJvm.main(main).agentOptions("config=" + config)
                .jvmArg("-Dapp.db=" + db, "-Drecall.jmx.delay=100ms", "-Xmx256m", "-XX:TieredStopAtLevel=1")
                .jvmArg(jvmArgs);
        LineAppJvm r = new LineAppJvm(name, app.start());
        r.jvm.awaitLine("ready", Duration.ofSeconds(30));
        return r;
    }

    String name() {
        return name;
    }

    Reply call(String command) {
        send(command);
        return await(command);
    }

    /** Sends a command without waiting for its answer; {@link #await} collects it. */
    void send(String command) {
        jvm.send(command);
    }

    Reply await(String command) {
        String line = jvm.awaitLine("done " + command + " |", Duration.ofSeconds(20));
        return Reply.parse(line);
    }

    /** Calls and fails unless the caller saw no exception. */
    Reply ok(String command) {
        return call(command).noError();
    }

    /** A JMX attribute of {@code bean} ({@code agent} or a method like {@code product(long)}) as text. */
    String attr(String bean, String attribute) {
        return call("attr " + bean + " " + attribute).value();
    }

    long count(String bean, String attribute) {
        String v = awaitAttr(bean, attribute, s -> s.matches("-?\\d+"), Duration.ofSeconds(10));
        return Long.parseLong(v);
    }

    /** As {@link #count}, 0 while the method has no MBean yet (it gets one at its first call). */
    long countOrZero(String bean, String attribute) {
        String v = attr(bean, attribute);
        return v != null && v.matches("-?\\d+") ? Long.parseLong(v) : 0;
    }

    String redisState() {
        return attr("agent", "RedisState");
    }

    /** Polls the attribute until {@code until} accepts it; fails with the last value seen. */
    String awaitAttr(String bean, String attribute, Predicate<String> until, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String v;
        do {
            v = attr(bean, attribute);
            if (until.test(v)) {
                return v;
            }
            sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(name + ": " + bean + " " + attribute + " is still '" + v + "' after " + timeout);
    }

    /** Waits for {@code RedisState} to be one of {@code states}; returns how long it took. */
    Duration awaitRedisState(Duration timeout, String... states) {
        long start = System.nanoTime();
        List<String> wanted = List.of(states);
        awaitAttr("agent", "RedisState", wanted::contains, timeout);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Ends the JVM with SIGTERM, as a service manager stops it (its shutdown hooks run), and keeps what it printed. */
    Result terminate() {
        if (result == null) {
            jvm.stop();
            result = jvm.await(Duration.ofSeconds(20));
        }
        return result;
    }

    /** Ends the JVM (an {@code exit} command, then a kill if it hangs) and keeps what it printed. */
    Result stop() {
        if (result == null) {
            try {
                jvm.send("exit");
                result = jvm.await(Duration.ofSeconds(20));
            } catch (AssertionError hung) {
                jvm.stop();
                result = new Result(name, -1, List.of(), List.of(hung.getMessage()));
            }
        }
        return result;
    }

    @Override
    public void close() {
        stop();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Everything a set of JVMs printed, for a failure report. */
    static String report(List<LineAppJvm> apps) {
        List<String> parts = new ArrayList<>();
        for (LineAppJvm a : apps) {
            parts.add("---- " + a.name + " ----\n" + a.stop());
        }
        return String.join("\n", parts);
    }
}
