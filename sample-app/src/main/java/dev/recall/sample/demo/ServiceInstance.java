package dev.recall.sample.demo;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One catalogue service ({@code serve}) that the demo started: its process, the address it answers on, and
 * a JMX connection to it (for its CPU, threads and heap, and for the agent's MBeans). Closing it stops the
 * process.
 */
final class ServiceInstance implements AutoCloseable {

    private static final String READY = "catalogue service listening on";

    private final String name;
    private final ChildProcess process;
    private final String readyLine;
    private final URI uri;
    private final int jmxPort;
    private final ServerMonitor monitor;

    private ServiceInstance(String name, ChildProcess process, String readyLine, int jmxPort, ServerMonitor monitor) {
        this.name = name;
        this.process = process;
        this.readyLine = readyLine;
        this.uri = ChildProcess.address(readyLine);
        this.jmxPort = jmxPort;
        this.monitor = monitor;
    }

    /**
     * Starts {@code serve <serveArgs>} with JMX open on a free local port, and returns once it answers.
     *
     * @param phase       the demo's phase, e.g. "with agent": names the log file
     * @param name        tells it from the phase's other instances ("A", "B"), or "" when it is the only one
     * @param jvmArgs     extra JVM arguments (the agent)
     * @param environment added to the demo's own environment
     */
    static ServiceInstance start(String phase, String name, List<String> jvmArgs, Map<String, String> environment, Path jar,
                                 List<String> serveArgs, Path outDir) throws Exception {
        int jmxPort = freePort();
        List<String> jvm = new ArrayList<>(jvmArgs);
        jvm.addAll(List.of("-Xmx512m", "-Dcom.sun.management.jmxremote.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort, "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false", "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                "-Djava.rmi.server.hostname=127.0.0.1"));
        List<String> args = new ArrayList<>(List.of("serve"));
        args.addAll(serveArgs);
        String label = name.isEmpty() ? phase : phase + " " + name;
        ChildProcess process = ChildProcess.start("service " + label, jvm, environment, jar, args,
                outDir.resolve("service-" + label.replace(' ', '-') + ".log"));
        try {
            String ready = process.awaitLine(READY, 120);
            return new ServiceInstance(name, process, ready, jmxPort, ServerMonitor.connect(jmxPort));
        } catch (Exception | Error e) {
            process.close();
            throw e;
        }
    }

    /** "A", "B", ..., or "" for a phase's only instance. */
    String name() {
        return name;
    }

    /** What the service printed when it was ready: its address, database and start-up time. */
    String readyLine() {
        return readyLine;
    }

    URI uri() {
        return uri;
    }

    int jmxPort() {
        return jmxPort;
    }

    long pid() {
        return process.pid();
    }

    ServerMonitor monitor() {
        return monitor;
    }

    @Override
    public void close() {
        try {
            monitor.close();
        } catch (IOException e) {
            // The process goes next anyway; a connection that would not close changes nothing.
        }
        process.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
