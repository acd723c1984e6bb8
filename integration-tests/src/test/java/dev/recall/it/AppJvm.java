package dev.recall.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Starts an application JVM the way a user does: {@code java -javaagent:agent/target/recall-agent.jar
 * -cp ... Main}, on the JDK under test ({@code recall.it.java}), and collects what it prints.
 */
public final class AppJvm {

    static final Path AGENT_JAR = Paths.get(required("recall.it.agentJar")).toAbsolutePath().normalize();
    static final Path TEST_CLASSES = Paths.get(required("recall.it.testClasses"));
    static final String JAVA = required("recall.it.java");

    private final List<String> command = new ArrayList<>();
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> extraClasspath = new ArrayList<>();
    private final List<String> appArgs = new ArrayList<>();
    private String agentOptions;
    private boolean agent = true;
    private String mainClass;
    private String jar;
    private Duration timeout = Duration.ofSeconds(60);

    private AppJvm() {
    }

    /** An application whose main class is one of the test applications in {@code dev.recall.it.app}. */
    public static AppJvm main(Class<?> main) {
        AppJvm jvm = new AppJvm();
        jvm.mainClass = main.getName();
        return jvm;
    }

    public static AppJvm jar(Path jar) {
        AppJvm jvm = new AppJvm();
        jvm.jar = jar.toString();
        return jvm;
    }

    public AppJvm withoutAgent() {
        agent = false;
        return this;
    }

    /** Options after {@code =} in {@code -javaagent:recall-agent.jar=...}. */
    public AppJvm agentOptions(String options) {
        agentOptions = options;
        return this;
    }

    public AppJvm config(String resource) {
        return agentOptions("config=" + resource(resource));
    }

    /** Puts {@code entries} on the application's class path too, after its own. */
    public AppJvm classpath(Path... entries) {
        for (Path e : entries) {
            extraClasspath.add(e.toString());
        }
        return this;
    }

    public AppJvm jvmArg(String... args) {
        Collections.addAll(jvmArgs, args);
        return this;
    }

    public AppJvm args(String... args) {
        Collections.addAll(appArgs, args);
        return this;
    }

    public AppJvm timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** A file of {@code src/test/resources}, as a path. */
    public static Path resource(String name) {
        return TEST_CLASSES.resolve(name);
    }

    List<String> command() {
        command.clear();
        command.add(JAVA);
        if (agent) {
            command.add("-javaagent:" + AGENT_JAR + (agentOptions == null ? "" : "=" + agentOptions));
        }
        command.addAll(jvmArgs);
        if (jar != null) {
            command.add("-jar");
            command.add(jar);
        } else {
            command.add("-cp");
            command.add(extraClasspath.isEmpty() ? appClasspath()
                    : appClasspath() + java.io.File.pathSeparator + String.join(java.io.File.pathSeparator, extraClasspath));
            command.add(mainClass);
        }
        command.addAll(appArgs);
        return command;
    }

    static String appClasspath() {
        try {
            String deps = Files.readString(Paths.get(required("recall.it.appClasspath"))).trim();
            return TEST_CLASSES + java.io.File.pathSeparator + deps;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs to completion. */
    public Result run() {
        Running r = start();
        return r.await(timeout);
    }

    /** Starts the JVM and returns at once; talk to it through {@link Running}. */
    public Running start() {
        try {
            ProcessBuilder pb = new ProcessBuilder(command());
            return new Running(pb.start(), String.join(" ", command));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
    }

    private static String required(String property) {
        String v = System.getProperty(property);
        if (v == null) {
            throw new IllegalStateException("system property " + property + " is not set; run the tests through Maven");
        }
        return v;
    }

    /** A JVM that is running; its output is read continuously so it never blocks on a full pipe. */
    public static final class Running {
        private final Process process;
        private final String commandLine;
        private final BlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
        private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
        private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
        private final Thread outReader;
        private final Thread errReader;
        private final PrintWriter stdin;

        Running(Process process, String commandLine) {
            this.process = process;
            this.commandLine = commandLine;
            this.outReader = pump(process.getInputStream(), stdout, stdoutLines);
            this.errReader = pump(process.getErrorStream(), stderr, null);
            this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        private static Thread pump(java.io.InputStream in, List<String> sink, BlockingQueue<String> queue) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        sink.add(line);
                        if (queue != null) {
                            queue.add(line);
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            t.setDaemon(true);
            t.start();
            return t;
        }

        public long pid() {
            return process.pid();
        }

        /** Waits for a stdout line starting with {@code prefix} and returns it. */
        public String awaitLine(String prefix, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                while (System.nanoTime() < deadline) {
                    String line = stdoutLines.poll(100, TimeUnit.MILLISECONDS);
                    if (line != null && line.startsWith(prefix)) {
                        return line;
                    }
                    if (line == null && !process.isAlive() && stdoutLines.isEmpty()) {
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.destroyForcibly();
            throw new AssertionError("no line starting with '" + prefix + "' from " + commandLine
                    + "\nstdout:\n" + String.join("\n", stdout) + "\nstderr:\n" + String.join("\n", stderr));
        }

        /** Stops the JVM as Ctrl-C would (its shutdown hooks run) and waits for it. */
        public void stop() {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }

        public void send(String line) {
            stdin.println(line);
        }

        public Result await(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("timed out after " + timeout + ": " + commandLine
                            + "\nstdout:\n" + String.join("\n", stdout) + "\nstderr:\n" + String.join("\n", stderr));
                }
                outReader.join(5000);
                errReader.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            return new Result(commandLine, process.exitValue(), List.copyOf(stdout), List.copyOf(stderr));
        }
    }
}
