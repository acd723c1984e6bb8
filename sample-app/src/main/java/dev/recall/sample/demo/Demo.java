package dev.recall.sample.demo;

import dev.recall.sample.Options;
import dev.recall.sample.load.LoadGenerator;
import dev.recall.sample.load.LoadResult;
import dev.recall.sample.load.LoadSpec;
import dev.recall.sample.load.Mix;
import dev.recall.sample.load.Mode;
import java.awt.Color;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.ObjectName;

/**
 * {@code demo}: the five-minute answer to "is Recall worth it?". Starts the exchange-rates API, runs the
 * catalogue service without the agent under load, then with the agent under the same load (same rate,
 * mix and key sequence), and prints what changed: the load generator's figures side by side, what the
 * service used, the agent's own figures read over JMX, and a check that the cached answers equal the
 * database. Writes {@code target/demo/report.md}, a latency chart and the raw results. Leaves nothing
 * running unless {@code --keep-running}.
 */
public final class Demo {

    public static final String USAGE = String.join("\n",
            "demo [--rate 15] [--warmup 15s] [--duration 45s] [--mix product=40,search=15,stats=15,price=20,write=10]",
            "     [--jdbc-url URL] [--error-rate 0.01] [--out target/demo] [--keep-running]",
            "  --agent and --config locate recall-agent.jar and recall.yml if not run from the project root");

    private final Options options;
    private final Path out;
    private final Path jar;
    private final Path agentJar;
    private final Path config;

    private Demo(Options options) throws Exception {
        this.options = options;
        this.out = Paths.get(options.string("out", "target/demo")).toAbsolutePath();
        this.jar = Paths.get(Demo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path root = jar.getParent().getParent().getParent();
        this.agentJar = existing(options.string("agent", root.resolve("agent/target/recall-agent.jar").toString()), "--agent");
        this.config = existing(options.string("config", root.resolve("sample-app/recall.yml").toString()), "--config");
    }

    public static void run(Options options) throws Exception {
        new Demo(options).run();
    }

    private void run() throws Exception {
        long began = System.nanoTime();
        Files.createDirectories(out);
        LoadSpec spec = spec();
        say("Recall demo: the catalogue service without, then with, the agent under the same load");
        say("load: " + describe(spec) + "; output in " + out);
        try (ChildProcess rates = ChildProcess.start("rates", List.of(), jar,
                List.of("rates", "--port", "0", "--error-rate", options.string("error-rate", "0.01")), out.resolve("rates.log"))) {
            URI ratesUri = url(rates.awaitLine("listening on", 60));
            Run without = phase("without agent", List.of(), spec, ratesUri, false);
            Run with = phase("with agent", List.of("-javaagent:" + agentJar + "=config=" + config, "-Drecall.jmx.delay=0s"),
                    spec, ratesUri, true);
            write("without-agent.json", without.result.toJson());
            write("with-agent.json", with.result.toJson());
            summarize(without, with, began);
        }
    }

    /** One run of the service under load; for the agent's run, also its figures and the correctness check. */
    private record Run(LoadResult result, ServerMonitor.Usage usage, String agentStats, CorrectnessCheck.Outcome check) {
    }

    private Run phase(String label, List<String> agentArgs, LoadSpec spec, URI ratesUri, boolean agent) throws Exception {
        int jmxPort = freePort();
        List<String> jvm = new ArrayList<>(agentArgs);
        jvm.addAll(List.of("-Xmx512m", "-Dcom.sun.management.jmxremote.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort, "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false", "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                "-Djava.rmi.server.hostname=127.0.0.1"));
        List<String> args = new ArrayList<>(List.of("serve", "--port", "0", "--rates-url", ratesUri.toString()));
        if (options.has("jdbc-url")) {
            args.addAll(List.of("--jdbc-url", options.string("jdbc-url", "")));
        }
        say("");
        say("== " + label + ": starting the service" + (agent ? " with -javaagent:recall-agent.jar" : ""));
        ChildProcess service = ChildProcess.start("service " + label, jvm, jar, args,
                out.resolve("service-" + label.replace(' ', '-') + ".log"));
        boolean keep = false;
        try {
            String ready = service.awaitLine("catalogue service listening on", 120);
            URI target = url(ready);
            say(ready);
            try (ServerMonitor monitor = ServerMonitor.connect(jmxPort)) {
                LoadSpec warm = new LoadSpec(target, spec.mode(), spec.ratePerSecond(), spec.clients(), Duration.ZERO,
                        spec.warmup(), spec.mix(), spec.zipfExponent(), spec.products(), spec.seed() + 1, spec.apdexT(), spec.timeout());
                if (!spec.warmup().isZero()) {
                    LoadGenerator.run(warm, label + ", warm-up", System.out);
                }
                if (agent) {
                    // The agent's figures then cover exactly the measured phase, like the load generator's.
                    monitor.connection().invoke(new ObjectName("dev.recall:type=Agent"), "resetStatistics", null, null);
                }
                LoadSpec measured = new LoadSpec(target, spec.mode(), spec.ratePerSecond(), spec.clients(), Duration.ZERO,
                        spec.duration(), spec.mix(), spec.zipfExponent(), spec.products(), spec.seed(), spec.apdexT(), spec.timeout());
                monitor.start();
                LoadResult result = LoadGenerator.run(measured, label, System.out);
                ServerMonitor.Usage usage = monitor.stop();
                String stats = agent ? agentStats(service.pid()) : null;
                CorrectnessCheck.awaitIdle(target);
                CorrectnessCheck.Outcome check = CorrectnessCheck.run(target, ratesUri, spec.products(), spec.seed());
                say("correctness (" + label + "): " + check.describe());
                if (agent && options.flag("keep-running")) {
                    keep = true;
                    keepRunning(target, jmxPort, service);
                }
                return new Run(result, usage, stats, check);
            }
        } finally {
            if (!keep) {
                service.close();
            }
        }
    }

    /** The agent's own report: its {@code stats} command, which reads the MBeans over JMX. */
    private String agentStats(long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar", agentJar.toString(),
                "stats", Long.toString(pid)).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return text.strip();
    }

    private void keepRunning(URI target, int jmxPort, ChildProcess service) throws IOException {
        say("");
        say("The service with the agent is still running at " + target + " (pid " + service.pid() + ").");
        say("  VisualVM: visualvm --openjmx localhost:" + jmxPort + "   (MBeans tab, dev.recall)");
        say("  JConsole: jconsole localhost:" + jmxPort);
        say("  Figures:  java -jar " + agentJar + " stats " + service.pid());
        say("Press Enter to stop it.");
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        service.close();
    }

    private void summarize(Run without, Run with, long began) throws IOException {
        String machine = machine();
        say("");
        say("== Results (" + machine + ")");
        say(LoadResult.compare(without.result, with.result));
        say("server, without agent: " + without.usage.describe());
        say("server, with agent:    " + with.usage.describe());
        say("");
        say("== The agent's own figures (java -jar recall-agent.jar stats PID, over JMX)");
        say(with.agentStats);
        say("");
        say("== Correctness: " + with.check.describe());
        Path chart = out.resolve("latency.png");
        try {
            LatencyChart.write(chart, "Response time by percentile, without and with Recall (lower is better)", List.of(
                    new LatencyChart.Series("without agent", new Color(200, 60, 40), curve(without.result)),
                    new LatencyChart.Series("with agent", new Color(30, 110, 200), curve(with.result))));
        } catch (RuntimeException | Error | IOException e) {
            say("(no chart: " + e + ")");
            chart = null;
        }
        double minutes = (System.nanoTime() - began) / 60e9;
        String md = markdown(without, with, machine, chart, minutes);
        write("report.md", md);
        say("");
        say(String.format(Locale.ROOT, "report: %s%s (demo took %.1f min)", out.resolve("report.md"),
                chart == null ? "" : ", chart: " + chart, minutes));
        if (!with.check.passed()) {
            throw new IllegalStateException("the correctness check failed: " + with.check.describe());
        }
    }

    private static List<double[]> curve(LoadResult result) {
        List<double[]> points = new ArrayList<>();
        for (LoadResult.Point p : result.distribution()) {
            points.add(new double[] {p.percentile(), p.millis()});
        }
        return points;
    }

    private String markdown(Run without, Run with, String machine, Path chart, double minutes) {
        StringBuilder md = new StringBuilder();
        md.append("# Recall demo report\n\n");
        md.append("Run on ").append(ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")))
                .append(", ").append(machine).append(String.format(Locale.ROOT, "; the demo took %.1f minutes.%n%n", minutes));
        md.append("The catalogue service ran twice under the same load (").append(describe(spec()))
                .append("): without the agent, then with `-javaagent:recall-agent.jar=config=sample-app/recall.yml`.\n\n");
        md.append("## What the load generator saw\n\n").append(LoadResult.compareMarkdown(without.result, with.result)).append('\n');
        md.append("## What the service used\n\n| | without agent | with agent |\n|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| CPU, average | %.0f%% | %.0f%% |%n", without.usage.averageCpu() * 100, with.usage.averageCpu() * 100));
        md.append(String.format(Locale.ROOT, "| CPU, peak | %.0f%% | %.0f%% |%n", without.usage.peakCpu() * 100, with.usage.peakCpu() * 100));
        md.append(String.format(Locale.ROOT, "| threads, peak | %d | %d |%n", without.usage.peakThreads(), with.usage.peakThreads()));
        md.append(String.format(Locale.ROOT, "| heap, peak | %.0f MB | %.0f MB |%n%n", without.usage.peakHeapBytes() / 1e6,
                with.usage.peakHeapBytes() / 1e6));
        md.append("CPU is the service process's share of all cores (`ProcessCpuLoad`), read over JMX once a second.\n\n");
        if (chart != null) {
            md.append("## Response time by percentile\n\n![latency by percentile](").append(chart.getFileName()).append(")\n\n");
        }
        md.append("## The agent's own figures\n\nRead over JMX by `java -jar recall-agent.jar stats PID` after the measured phase:\n\n```\n")
                .append(with.agentStats).append("\n```\n\n");
        md.append("## Correctness\n\n").append(with.check.describe()).append(" (with the agent; the `/admin/` endpoints read the ")
                .append("database without any cache). Without the agent: ").append(without.check.describe()).append(".\n");
        return md.toString();
    }

    private LoadSpec spec() {
        Duration warmup = parse(options.string("warmup", "15s"));
        Duration duration = parse(options.string("duration", "45s"));
        return new LoadSpec(URI.create("http://127.0.0.1/"), options.has("clients") ? Mode.CLOSED : Mode.OPEN,
                // 15 requests/s: what the service sustains without a cache on 2 cores (slowly); at 40/s it
                // drowns in its own backlog, which is a different story from "how much faster".
                options.number("rate", 15), options.integer("clients", 8), warmup, duration,
                options.has("mix") ? Mix.parse(options.string("mix", "")) : Mix.DEFAULT, options.number("zipf", 1.1),
                options.integer("products", 2000), options.integer("seed", 42), parse(options.string("apdex-t", "100ms")),
                Duration.ofSeconds(10));
    }

    private static String describe(LoadSpec s) {
        return s.pacing() + "; " + s.workload();
    }

    /** The first http:// address in a line a child process printed. */
    private static URI url(String line) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("http://\\S+/").matcher(line);
        if (!m.find()) {
            throw new IllegalStateException("no address in: " + line);
        }
        return URI.create(m.group());
    }

    static Duration parse(String text) {
        String t = text.trim();
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration like 500ms, 30s or 2m");
    }

    private static String machine() {
        return String.format(Locale.ROOT, "%d cores, %s %s, Java %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(out.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static void say(String line) {
        System.out.println(line);
    }

    private static Path existing(String path, String option) {
        Path p = Paths.get(path).toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw new IllegalArgumentException(p + " does not exist; build first (mvn -B -q -DskipTests package) or give " + option);
        }
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
