package dev.recall.sample.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM the demo starts (the rates API, the service): its output goes to a log file and is watched for
 * the line that says it is ready. Stopping it sends SIGTERM, so its shutdown hooks run.
 */
final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.write(line);
                    out.newLine();
                    out.flush();
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "demo-" + name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts {@code java <jvmArgs> -cp <jar> dev.recall.sample.Main <args>} with the same JDK as the demo. */
    static ChildProcess start(String name, List<String> jvmArgs, Path jar, List<String> args, Path log) throws IOException {
        return start(name, jvmArgs, Map.of(), jar, args, log);
    }

    /** {@link #start(String, List, Path, List, Path)} with {@code environment} added to the demo's own. */
    static ChildProcess start(String name, List<String> jvmArgs, Map<String, String> environment, Path jar, List<String> args,
                              Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(jar.toString());
        command.add("dev.recall.sample.Main");
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process p = builder.start();
        return new ChildProcess(name, p, log);
    }

    /** Waits for a line containing {@code marker}; fails with the process's output if it dies first. */
    String awaitLine(String marker, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.add(line);
                if (line.contains(marker)) {
                    return line;
                }
            } else if (!process.isAlive()) {
                break;
            }
        }
        close();
        throw new IllegalStateException(name + " did not say '" + marker + "'; its output:\n" + String.join("\n", seen));
    }

    /** The first http:// address in a line a child process printed, such as its ready line. */
    static URI address(String line) {
        Matcher m = Pattern.compile("http://\\S+/").matcher(line);
        if (!m.find()) {
            throw new IllegalStateException("no address in: " + line);
        }
        return URI.create(m.group());
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
