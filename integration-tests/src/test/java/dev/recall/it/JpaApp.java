package dev.recall.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A JPA application of {@code integration-tests} (the Spring Boot shop, the Quarkus library) started from its jar
 * as a user starts it, with the shaded agent and a configuration file or without the agent, and driven over HTTP
 * by a script of requests whose answers the tests compare between the two runs.
 */
final class JpaApp {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    /** One request of a script. */
    record Step(String id, String method, String path, String body) {

        static Step get(String id, String path) {
            return new Step(id, "GET", path, null);
        }

        static Step put(String id, String path, String body) {
            return new Step(id, "PUT", path, body);
        }

        static Step post(String id, String path, String body) {
            return new Step(id, "POST", path, body);
        }

        static Step delete(String id, String path) {
            return new Step(id, "DELETE", path, null);
        }

        @Override
        public String toString() {
            return id + ": " + method + " " + path + (body == null ? "" : " [" + body + "]");
        }
    }

    /** One answer, its status and body (error bodies lose their time stamp, which differs between any two runs). */
    record Response(int status, String body) {
        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** A {@code dev.recall:type=CachedMethod} MBean's figures, read after a run. */
    record Figures(String method, long hits, long misses, long uncacheable, boolean refused, String reason) {
    }

    private final AppJvm.Running jvm;
    private final URI base;
    private final int jmxPort;
    final boolean agent;

    private JpaApp(AppJvm.Running jvm, URI base, int jmxPort, boolean agent) {
        this.jvm = jvm;
        this.base = base;
        this.jmxPort = jmxPort;
        this.agent = agent;
    }

    /**
     * Starts {@code jar} with the agent and {@code config} (a test resource, or the agent's options themselves when it
     * holds a {@code =}: {@code advise=com.acme.**}, {@code config=/tmp/proposed.yml}), or without the agent when
     * {@code config} is {@code null}, and waits until {@code readyPath} answers 200.
     *
     * @param portArg how the application takes its HTTP port, e.g. {@code --server.port=} or {@code -Dquarkus.http.port=}
     * @param args further application arguments (JVM options when they start with {@code -D})
     */
    static JpaApp start(Path jar, String config, String portArg, String readyPath, String... args) throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing: build it first (mvn -DskipTests package at the root; the module "
                    + "comes before integration-tests)");
        }
        int port = freePort();
        int jmxPort = freePort();
        AppJvm jvm = AppJvm.jar(jar).timeout(Duration.ofSeconds(30)).jvmArg("-Xmx384m",
                "-Dcom.sun.management.jmxremote.port=" + jmxPort, "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false",
                "-Dcom.sun.management.jmxremote.host=127.0.0.1", "-Djava.rmi.server.hostname=127.0.0.1");
        List<String> appArgs = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("-D")) {
                jvm.jvmArg(a);
            } else {
                appArgs.add(a);
            }
        }
        if (portArg.startsWith("-D")) {
            jvm.jvmArg(portArg + port);
        } else {
            appArgs.add(portArg + port);
        }
        jvm.args(appArgs.toArray(String[]::new));
        if (config == null) {
            jvm.withoutAgent();
        } else if (config.contains("=")) {
            jvm.agentOptions(config);
        } else {
            jvm.config(config);
        }
        JpaApp app = new JpaApp(jvm.start(), URI.create("http://127.0.0.1:" + port), jmxPort, config != null);
        // Five minutes, or more on a machine busy enough to need it (-Drecall.it.startSeconds=900).
        app.awaitReady(readyPath, Duration.ofSeconds(Long.getLong("recall.it.startSeconds", 300)));
        return app;
    }

    private void awaitReady(String path, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        ProcessHandle process = ProcessHandle.of(jvm.pid()).orElseThrow();
        while (true) {
            try {
                if (send(Step.get("ready", path)).status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            if (!process.isAlive()) {
                throw new AssertionError("the application exited before it answered:\n" + jvm.await(Duration.ofSeconds(5)));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the application did not answer " + path + " within " + timeout + ":\n" + stop());
            }
            Thread.sleep(100);
        }
    }

    Response send(Step step) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(step.path())).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        if (step.body() == null) {
            b.method(step.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "text/plain").method(step.method(), HttpRequest.BodyPublishers.ofString(step.body()));
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.body().replaceAll("\"timestamp\":\"[^\"]*\"", "\"timestamp\":\"(time)\""));
        } catch (IOException e) {
            throw new IllegalStateException("no answer to " + step + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every step in order: step id to answer. */
    Map<String, Response> run(List<Step> script) {
        Map<String, Response> answers = new LinkedHashMap<>();
        for (Step s : script) {
            answers.put(s.id(), send(s));
        }
        return answers;
    }

    /** The agent's CachedMethod MBeans. */
    List<Figures> figures() throws Exception {
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
        try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
            MBeanServerConnection mbs = connector.getMBeanServerConnection();
            List<Figures> all = new ArrayList<>();
            for (ObjectName name : new TreeSet<>(mbs.queryNames(new ObjectName("dev.recall:type=CachedMethod,*"), null))) {
                List<String> attributes = Arrays.stream(mbs.getMBeanInfo(name).getAttributes()).map(a -> a.getName()).toList();
                long uncacheable = attributes.contains("UncacheableResults") ? (Long) mbs.getAttribute(name, "UncacheableResults") : -1;
                boolean refused = attributes.contains("Refused") && Boolean.TRUE.equals(mbs.getAttribute(name, "Refused"));
                String reason = refused ? String.valueOf(mbs.getAttribute(name, "RefusedReason")) : null;
                all.add(new Figures((String) mbs.getAttribute(name, "Method"), (Long) mbs.getAttribute(name, "HitCount"),
                        (Long) mbs.getAttribute(name, "MissCount"), uncacheable, refused, reason));
            }
            return all;
        }
    }

    /** {@code java -jar recall-agent.jar stats PID}. */
    List<String> stats() throws Exception {
        Process p = new ProcessBuilder(AppJvm.JAVA, "-jar", AppJvm.AGENT_JAR.toString(), "stats", Long.toString(jvm.pid()))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return List.of(output.split("\n"));
    }

    /** {@code java -jar recall-agent.jar advise PID --yaml FILE}: the report, which must end in exit status 0. */
    List<String> advise(Path yaml) throws Exception {
        Process p = new ProcessBuilder(AppJvm.JAVA, "-jar", AppJvm.AGENT_JAR.toString(), "advise", Long.toString(jvm.pid()),
                "--yaml", yaml.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError("advise failed:\n" + output);
        }
        return List.of(output.split("\n"));
    }

    /** Stops the JVM; what it printed. */
    Result stop() {
        jvm.stop();
        return jvm.await(Duration.ofSeconds(30));
    }

    /** The answers of {@code script} that differ between two runs, each as expected (without) against got (with). */
    static List<String> differences(List<Step> script, Map<String, Response> without, Map<String, Response> with) {
        List<String> d = new ArrayList<>();
        for (Step s : script) {
            Response e = without.get(s.id());
            Response g = with.get(s.id());
            if (!e.equals(g)) {
                d.add(s + "\n    without the agent: " + e + "\n    with the agent:    " + g);
            }
        }
        return d;
    }

    /** Hits over calls of the methods whose name contains {@code part}, as "h hits in n calls (r%)". */
    static String hitRatio(List<Figures> figures, String part) {
        long hits = 0;
        long calls = 0;
        for (Figures f : figures) {
            if (f.method().contains(part)) {
                hits += f.hits();
                calls += f.hits() + f.misses();
            }
        }
        return hits + " hits in " + calls + " calls" + (calls == 0 ? "" : String.format(" (%.0f%%)", 100.0 * hits / calls));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
