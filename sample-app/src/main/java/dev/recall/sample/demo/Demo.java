package dev.recall.sample.demo;

import dev.recall.sample.Options;
import dev.recall.sample.load.Durations;
import dev.recall.sample.load.LoadGenerator;
import dev.recall.sample.load.LoadResult;
import dev.recall.sample.load.LoadSpec;
import dev.recall.sample.load.Mix;
import dev.recall.sample.load.Mode;
import dev.recall.sample.load.Targets;
import dev.recall.sample.load.Window;
import java.awt.Color;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.Map;

/**
 * {@code demo}: the five-minute answer to "is Recall worth it?". Starts the exchange-rates API, runs the
 * catalogue service without the agent under load, then with the agent under the same load (same rate,
 * mix and key sequence), and prints what changed: the load generator's figures side by side, what the
 * service used, the agent's own figures read over JMX, and a check that the cached answers equal the
 * database. Writes {@code target/demo/report.md}, a latency chart and the raw results. Leaves nothing
 * running unless {@code --keep-running}.
 *
 * <p>With {@code --redis URI} each run has two instances of the service on one database
 * ({@link SharedDatabase}), and the load alternates between them as a round-robin balancer would send it;
 * with the agent the two share one cache in that Redis ({@link SharedCache}). The report then adds each instance's figures, how
 * each used the shared cache, and one entry shown crossing from one instance to the other ({@link SharingProbe}).
 */
public final class Demo {

    public static final String USAGE = String.join("\n",
            "demo [--rate 15] [--warmup 15s] [--duration 45s] [--mix product=40,search=15,stats=15,price=20,write=10]",
            "     [--jdbc-url URL] [--error-rate 0.01] [--out target/demo] [--keep-running] [--redis redis://127.0.0.1:6379]",
            "     [--memcached 127.0.0.1:11211]",
            "     [--outage 20s] [--jfr docs/recall.jfc]",
            "  --outage: the exchange-rates API stops answering for this long in the middle of each measured phase",
            "            (default 20s, or a third of --duration if that is under 40s; 0: no outage)",
            "  --redis: both runs have two instances, the load alternating between them, on one database (--jdbc-url,",
            "           which must then be a server's, or an in-memory H2 the demo serves); with the agent they share one",
            "           cache in that Redis (store: two-level); the run's keys are deleted from Redis at the end",
            "  --memcached: as --redis, the instances sharing one cache in that Memcached (store: memcached, no near cache)",
            "  --jfr: the service with the agent runs a JFR recording with these settings (docs/recall.jfc turns on the",
            "         agent's dev.recall.Load, Refresh and StaleServed events), written to with-agent[-A].jfr in --out",
            "  --agent and --config locate recall-agent.jar and recall.yml if not run from the project root");

    /** The cached third-party call whose outage the demo stages, as the agent names it. */
    private static final String RATES_METHOD = "dev.recall.sample.rates.ExchangeRatesClient.rate(java.lang.String,java.lang.String)";

    /** Instances of the service with the agent when they share a cache: the fewest that can show sharing. */
    private static final int SHARING_INSTANCES = 2;

    private final Options options;
    private final Path out;
    private final Path jar;
    private final Path agentJar;
    private final Path config;
    private final URI redis;
    /** {@code --memcached HOST:PORT}, or {@code null}. */
    private final String memcached;
    /** JFR settings for the service with the agent ({@code --jfr}), or {@code null}: no recording. */
    private final Path jfr;

    private Demo(Options options) throws Exception {
        this.options = options;
        this.out = Paths.get(options.string("out", "target/demo")).toAbsolutePath();
        this.jar = Paths.get(Demo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path root = jar.getParent().getParent().getParent();
        this.agentJar = existing(options.string("agent", root.resolve("agent/target/recall-agent.jar").toString()), "--agent");
        this.config = existing(options.string("config", root.resolve("sample-app/recall.yml").toString()), "--config");
        this.redis = options.has("redis") ? URI.create(options.string("redis", "")) : null;
        this.memcached = options.has("memcached") ? options.string("memcached", "") : null;
        if (redis != null && memcached != null) {
            throw new IllegalArgumentException("--redis and --memcached both name a shared cache; give one");
        }
        this.jfr = options.has("jfr") ? Paths.get(options.string("jfr", "")).toAbsolutePath().normalize() : null;
        if (jfr != null && !Files.isRegularFile(jfr)) {
            throw new IllegalArgumentException("--jfr " + jfr + ": no such JFR settings file (the project's is docs/recall.jfc)");
        }
        if (sharing() && options.has("jdbc-url")) {
            SharedDatabase.requireShareable(options.string("jdbc-url", ""));
        }
    }

    /** Whether the instances share a cache (--redis or --memcached): two instances, one database. */
    private boolean sharing() {
        return redis != null || memcached != null;
    }

    public static void run(Options options) throws Exception {
        new Demo(options).run();
    }

    private void run() throws Exception {
        long began = System.nanoTime();
        Files.createDirectories(out);
        LoadSpec spec = spec();
        say(!sharing() ? "Recall demo: the catalogue service without, then with, the agent under the same load"
                : "Recall demo: two instances of the catalogue service without the agent, then two with the agent sharing "
                        + "one cache in " + (memcached != null ? "Memcached" : "Redis") + ", under the same load");
        say("load: " + describe(spec) + "; output in " + out);
        // Closed in reverse order: the run's keys leave Redis only once every instance has stopped.
        try (SharedCache cache = memcached != null ? SharedCache.memcached(memcached, config, out)
                : redis == null ? null : SharedCache.create(redis, config, out);
             ChildProcess rates = ChildProcess.start("rates", List.of(), jar,
                     List.of("rates", "--port", "0", "--error-rate", options.string("error-rate", "0.01")), out.resolve("rates.log"));
             SharedDatabase database = !sharing() ? null : SharedDatabase.open(options.has("jdbc-url")
                     ? options.string("jdbc-url", "") : null, jar, out)) {
            URI ratesUri = ChildProcess.address(rates.awaitLine("listening on", 60));
            String jdbcUrl = database != null ? database.jdbcUrl() : options.has("jdbc-url") ? options.string("jdbc-url", "") : null;
            if (cache != null) {
                say("shared cache: " + cache.store() + " " + cache.redis() + ", key prefix " + cache.keyPrefix() + ", agent configuration "
                        + cache.config());
                say("shared database: " + database.describe());
            }
            // As many instances without the agent as with it: the comparison is the cache, not the capacity.
            int instances = cache == null ? 1 : SHARING_INSTANCES;
            Run without = phase(new Setup("without agent", List.of(), Map.of(), instances), spec, ratesUri, jdbcUrl);
            Setup withAgent = cache == null
                    ? new Setup("with agent", agent(config), Map.of(), 1)
                    : new Setup("with agent", agent(cache.config()), cache.environment(), instances);
            Run with = phase(withAgent, spec, ratesUri, jdbcUrl);
            write("without-agent.json", without.result.toJson());
            write("with-agent.json", with.result.toJson());
            if (without.split()) {
                write("without-agent-normal.json", without.normal.toJson());
                write("without-agent-outage.json", without.outage.toJson());
                write("with-agent-normal.json", with.normal.toJson());
                write("with-agent-outage.json", with.outage.toJson());
            }
            summarize(without, with, began, cache, database);
        }
    }

    private List<String> agent(Path agentConfig) {
        return List.of("-javaagent:" + agentJar + "=config=" + agentConfig, "-Drecall.jmx.delay=0s");
    }

    /** How a phase runs the service: the extra JVM arguments and environment, and how many instances. */
    private record Setup(String label, List<String> jvmArgs, Map<String, String> environment, int instances) {
        boolean agent() {
            return !jvmArgs.isEmpty();
        }
    }

    /** One instance's part of a phase; the agent's figures and the sharing only where they apply. */
    private record Instance(String name, long pid, ServerMonitor.Usage usage, String agentStats, AgentFigures.Sharing sharing,
                            CorrectnessCheck.Outcome check, AgentFigures.Freshness freshness) {
    }

    /** The exchange-rates API's outage in each measured phase: from {@code start} into it, for {@code length}. */
    private record Outage(Duration start, Duration length) {
        boolean staged() {
            return !length.isZero();
        }

        String describe() {
            return "the exchange-rates API stopped answering for " + Durations.format(length) + ", from "
                    + Durations.format(start) + " to " + Durations.format(start.plus(length)) + " into the measured phase";
        }
    }

    private Outage outage(LoadSpec spec) {
        Duration measured = spec.duration();
        Duration length = options.has("outage") ? Durations.parse(options.string("outage", "0s"))
                : measured.compareTo(Duration.ofSeconds(40)) >= 0 ? Duration.ofSeconds(20) : measured.dividedBy(3);
        if (length.compareTo(measured) > 0) {
            throw new IllegalArgumentException("--outage " + Durations.format(length) + " is longer than the measured phase ("
                    + Durations.format(measured) + ")");
        }
        return new Outage(measured.minus(length).dividedBy(2), length);
    }

    /**
     * Starts the outage {@code outage.start} from now, on a daemon thread, by the API's admin endpoint, and
     * begins {@code window} as it asks for it, so the load generator tells the requests sent during the outage
     * from the others.
     */
    private static Thread stage(Outage outage, URI ratesUri, Window window) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(outage.start.toMillis());
                window.begin();
                java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        ratesUri.resolve("admin/outage?millis=" + outage.length.toMillis())).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
                say("   (the exchange-rates API stops answering for " + Durations.format(outage.length) + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                say("   (could not stage the outage: " + e + ")");
            }
        }, "demo-outage");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * One run of the service under load: one result for the whole load, and each instance's own figures. With an
     * outage, {@code normal} holds the requests sent outside it and {@code outage} those sent during it (both
     * {@code null} without one): averaged together, the outage's five-second timeouts would drown normal operation.
     */
    private record Run(LoadResult result, LoadResult normal, LoadResult outage, List<Instance> instances,
                       SharingProbe.Outcome probe) {
        boolean shared() {
            return instances.size() > 1;
        }

        boolean split() {
            return outage != null;
        }

        /** Normal operation: the requests sent outside the outage, or all of them without one. */
        LoadResult normalOperation() {
            return split() ? normal : result;
        }
    }

    private Run phase(Setup setup, LoadSpec spec, URI ratesUri, String jdbcUrl) throws Exception {
        say("");
        say("== " + setup.label + ": starting the service" + (setup.instances > 1 ? " " + setup.instances + " times" : "")
                + (setup.agent() ? " with -javaagent:recall-agent.jar" : ""));
        List<ServiceInstance> services = new ArrayList<>();
        try {
            for (int i = 0; i < setup.instances; i++) {
                services.add(start(setup, i, ratesUri, jdbcUrl));
            }
            LoadSpec load = spec.withTarget(Targets.of(services.stream().map(ServiceInstance::uri).toList()));
            if (!spec.warmup().isZero()) {
                LoadGenerator.run(load.withPhases(Duration.ZERO, spec.warmup())
                        .withKeys(spec.zipfExponent(), spec.products(), spec.seed() + 1), setup.label + ", warm-up", System.out);
            }
            if (setup.agent()) {
                // The agent's figures then cover exactly the measured phase, like the load generator's.
                for (ServiceInstance service : services) {
                    AgentFigures.reset(service.monitor().connection());
                }
            }
            services.forEach(s -> s.monitor().start());
            Outage outage = outage(spec);
            Window window = outage.staged() ? new Window(outage.length) : null;
            Thread staging = outage.staged() ? stage(outage, ratesUri, window) : null;
            LoadGenerator.Split split = window == null
                    ? new LoadGenerator.Split(LoadGenerator.run(load.withPhases(Duration.ZERO, spec.duration()), setup.label,
                            System.out), null, null)
                    : LoadGenerator.run(load.withPhases(Duration.ZERO, spec.duration()), setup.label, System.out, window);
            if (staging != null) {
                staging.join(outage.start.toMillis() + 10_000);
                // The API answers again before the checks below, which compare with it.
                Thread.sleep(Math.max(0, outage.length.toMillis() - (spec.duration().toMillis() - outage.start.toMillis())));
            }
            List<ServerMonitor.Usage> usages = new ArrayList<>();
            for (ServiceInstance service : services) {
                usages.add(service.monitor().stop());
            }
            // Read before the probe and the checks below, which add calls of their own.
            List<String> stats = new ArrayList<>();
            List<AgentFigures.Sharing> sharing = new ArrayList<>();
            List<AgentFigures.Freshness> freshness = new ArrayList<>();
            for (ServiceInstance service : services) {
                stats.add(setup.agent() ? AgentFigures.statsTable(agentJar, service.pid()) : null);
                freshness.add(setup.agent() ? AgentFigures.freshness(service.monitor().connection(), RATES_METHOD) : null);
                sharing.add(setup.agent() && services.size() > 1 ? AgentFigures.sharing(service.monitor().connection()) : null);
            }
            SharingProbe.Outcome probe = setup.agent() && services.size() > 1 ? SharingProbe.run(services.get(0), services.get(1)) : null;
            List<Instance> instances = new ArrayList<>();
            for (int i = 0; i < services.size(); i++) {
                ServiceInstance service = services.get(i);
                CorrectnessCheck.awaitIdle(service.uri());
                CorrectnessCheck.Outcome check = CorrectnessCheck.run(service.uri(), ratesUri, spec.products(), spec.seed());
                say("correctness (" + setup.label + (service.name().isEmpty() ? "" : ", instance " + service.name()) + "): "
                        + check.describe());
                instances.add(new Instance(service.name(), service.pid(), usages.get(i), stats.get(i), sharing.get(i), check,
                        freshness.get(i)));
            }
            if (setup.agent() && options.flag("keep-running")) {
                keepRunning(services);
            }
            return new Run(split.whole(), split.outside(), split.inside(), instances, probe);
        } finally {
            services.forEach(ServiceInstance::close);
        }
    }

    /** Starts the phase's instance number {@code i} (from 0) and waits until it answers. */
    private ServiceInstance start(Setup setup, int i, URI ratesUri, String jdbcUrl) throws Exception {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--rates-url", ratesUri.toString()));
        if (jdbcUrl != null) {
            args.addAll(List.of("--jdbc-url", jdbcUrl));
        }
        if (i > 0) {
            // The first instance seeded the shared database; seeding again would drop its tables under it.
            args.add("--no-seed");
        }
        String name = setup.instances == 1 ? "" : String.valueOf((char) ('A' + i));
        List<String> jvmArgs = new ArrayList<>(setup.jvmArgs);
        if (setup.agent() && jfr != null) {
            // Written when the instance stops (the demo ends it with SIGTERM, so the JVM's exit dumps it).
            jvmArgs.add("-XX:StartFlightRecording:settings=" + jfr + ",filename="
                    + out.resolve("with-agent" + (name.isEmpty() ? "" : "-" + name) + ".jfr") + ",dumponexit=true");
        }
        ServiceInstance service = ServiceInstance.start(setup.label, name, jvmArgs, setup.environment, jar, args, out);
        say((name.isEmpty() ? "" : "instance " + name + ": ") + service.readyLine());
        return service;
    }

    private void keepRunning(List<ServiceInstance> services) throws IOException {
        say("");
        for (ServiceInstance service : services) {
            say("The service with the agent" + (service.name().isEmpty() ? "" : " (instance " + service.name() + ")")
                    + " is still running at " + service.uri() + " (pid " + service.pid() + ").");
            say("  VisualVM: visualvm --openjmx localhost:" + service.jmxPort() + "   (MBeans tab, dev.recall)");
            say("  JConsole: jconsole localhost:" + service.jmxPort());
            say("  Figures:  java -jar " + agentJar + " stats " + service.pid());
        }
        say(services.size() == 1 ? "Press Enter to stop it." : "Press Enter to stop them.");
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }

    private void summarize(Run without, Run with, long began, SharedCache cache, SharedDatabase database) throws IOException {
        String machine = machine();
        say("");
        Outage outage = outage(spec());
        if (without.split()) {
            say("== Results, normal operation: the requests sent outside the outage (" + machine + ")");
            say(LoadResult.compare(without.normal, with.normal));
            say("== Results, during the outage: the requests sent while " + outage.describe());
            say(LoadResult.compare(without.outage, with.outage));
        } else {
            say("== Results (" + machine + ")");
            say(LoadResult.compare(without.result, with.result));
        }
        for (Instance i : without.instances) {
            say((i.name.isEmpty() ? "server, without agent: " : "server, without agent, instance " + i.name + ": ") + i.usage.describe());
        }
        for (Instance i : with.instances) {
            say((i.name.isEmpty() ? "server, with agent:    " : "server, with agent, instance " + i.name + ": ") + i.usage.describe());
        }
        say("");
        say("== The agent's own figures (java -jar recall-agent.jar stats PID, over JMX)");
        for (Instance i : with.instances) {
            if (!i.name.isEmpty()) {
                say("-- instance " + i.name + " (pid " + i.pid + ")");
            }
            say(i.agentStats);
        }
        if (with.shared()) {
            say("");
            say("== The shared cache (" + cache.store() + " " + cache.redis() + ", key prefix " + cache.keyPrefix() + ")");
            for (Instance i : with.instances) {
                say("instance " + i.name + ": " + i.sharing.describe());
            }
            say("(remote hits: answered from Redis when the instance's near cache did not have the entry, so loaded by the "
                    + "other instance, or by this one longer ago than the near cache keeps entries (near.ttl, 10 s by default))");
            say("sharing probe: " + with.probe.describe());
        }
        if (outage.staged()) {
            say("");
            say("== The outage: " + outage.describe());
            for (String line : outageLines(without, with)) {
                say(line);
            }
        }
        say("");
        if (with.shared()) {
            say("== Correctness");
            for (Instance i : with.instances) {
                say("instance " + i.name + ": " + i.check.describe());
            }
        } else {
            say("== Correctness: " + with.instances.get(0).check.describe());
        }
        Path chart = out.resolve("latency.png");
        try {
            LatencyChart.write(chart, "Response time by percentile, without and with Recall"
                    + (without.split() ? ", normal operation" : "") + " (lower is better)", List.of(
                    new LatencyChart.Series("without agent", new Color(200, 60, 40), curve(without.normalOperation())),
                    new LatencyChart.Series("with agent", new Color(30, 110, 200), curve(with.normalOperation()))));
        } catch (RuntimeException | Error | IOException e) {
            say("(no chart: " + e + ")");
            chart = null;
        }
        double minutes = (System.nanoTime() - began) / 60e9;
        String md = markdown(without, with, machine, chart, minutes, cache, database);
        write("report.md", md);
        say("");
        say(String.format(Locale.ROOT, "report: %s%s (demo took %.1f min)", out.resolve("report.md"),
                chart == null ? "" : ", chart: " + chart, minutes));
        for (Instance i : with.instances) {
            if (!i.check.passed()) {
                throw new IllegalStateException("the correctness check failed" + (i.name.isEmpty() ? "" : " on instance " + i.name)
                        + ": " + i.check.describe());
            }
        }
        if (with.probe != null && !with.probe.shared()) {
            throw new IllegalStateException("the instances did not share the cache: " + with.probe.describe());
        }
    }

    private static List<double[]> curve(LoadResult result) {
        List<double[]> points = new ArrayList<>();
        for (LoadResult.Point p : result.distribution()) {
            points.add(new double[] {p.percentile(), p.millis()});
        }
        return points;
    }

    private String markdown(Run without, Run with, String machine, Path chart, double minutes, SharedCache cache,
                            SharedDatabase database) {
        StringBuilder md = new StringBuilder();
        md.append("# Recall demo report\n\n");
        md.append("Run on ").append(ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")))
                .append(", ").append(machine).append(String.format(Locale.ROOT, "; the demo took %.1f minutes.%n%n", minutes));
        if (with.shared()) {
            md.append("The catalogue service ran under the same load (").append(describe(spec()))
                    .append("): first ").append(without.instances.size()).append(" instances without the agent, then ")
                    .append(with.instances.size())
                    .append(" instances with `-javaagent:recall-agent.jar=config=").append(cache.config().getFileName())
                    .append("`, which is `").append(config.getFileName()).append("` plus `store: " + cache.storeKind() + "` over " + cache.store() + " at ")
                    .append(cache.redis()).append(" (key prefix `").append(cache.keyPrefix()).append("`, a secret made for the run). ")
                    .append("The load alternated between the instances request by request, as a round-robin balancer would send ")
                    .append("it, and the figures below are for the whole load. Every instance used one database: ")
                    .append(database.describe()).append(".\n\n");
        } else {
            md.append("The catalogue service ran twice under the same load (").append(describe(spec()))
                    .append("): without the agent, then with `-javaagent:recall-agent.jar=config=sample-app/recall.yml`.\n\n");
        }
        md.append("## What the load generator saw\n\n");
        Outage outage = outage(spec());
        if (without.split()) {
            md.append("Normal operation and the outage are two tables: the requests are told apart by their send time, ")
                    .append("inside or outside the outage (").append(outage.describe()).append("). Averaged together, ")
                    .append("the requests that wait out the rates client's 5 s timeout would drown normal operation.\n\n");
            md.append("### Normal operation: the requests sent outside the outage\n\n")
                    .append(LoadResult.compareMarkdown(without.normal, with.normal)).append('\n');
            md.append("### During the outage: the requests sent while the exchange-rates API did not answer\n\n")
                    .append(LoadResult.compareMarkdown(without.outage, with.outage)).append('\n');
        } else {
            md.append(LoadResult.compareMarkdown(without.result, with.result)).append('\n');
        }
        List<String> headers = new ArrayList<>();
        List<ServerMonitor.Usage> usages = new ArrayList<>();
        for (Instance i : without.instances) {
            headers.add(i.name.isEmpty() ? "without agent" : "without agent, instance " + i.name);
            usages.add(i.usage);
        }
        for (Instance i : with.instances) {
            headers.add(i.name.isEmpty() ? "with agent" : "with agent, instance " + i.name);
            usages.add(i.usage);
        }
        md.append("## What the service used\n\n|");
        headers.forEach(h -> md.append(" | ").append(h));
        md.append(" |\n|---").append("|---".repeat(headers.size())).append("|\n");
        usageRow(md, "CPU, average", usages, u -> String.format(Locale.ROOT, "%.0f%%", u.averageCpu() * 100));
        usageRow(md, "CPU, peak", usages, u -> String.format(Locale.ROOT, "%.0f%%", u.peakCpu() * 100));
        usageRow(md, "threads, peak", usages, u -> Integer.toString(u.peakThreads()));
        usageRow(md, "heap, peak", usages, u -> String.format(Locale.ROOT, "%.0f MB", u.peakHeapBytes() / 1e6));
        md.append('\n');
        md.append("CPU is the service process's share of all cores (`ProcessCpuLoad`), read over JMX once a second.\n\n");
        if (chart != null) {
            md.append("## Response time by percentile").append(without.split() ? ", normal operation" : "")
                    .append("\n\n![latency by percentile](").append(chart.getFileName()).append(")\n\n");
        }
        md.append("## The agent's own figures\n\nRead over JMX by `java -jar recall-agent.jar stats PID` after the measured phase:\n\n");
        for (Instance i : with.instances) {
            if (!i.name.isEmpty()) {
                md.append("Instance ").append(i.name).append(":\n\n");
            }
            md.append("```\n").append(i.agentStats).append("\n```\n\n");
        }
        if (with.shared()) {
            md.append("## The shared cache\n\nRead over JMX from each instance's `CachedMethod` MBeans (summed) and its `Agent` ")
                    .append("MBean, after the measured phase. A remote hit is a read that the instance's near cache could not ")
                    .append("answer and Redis could: an entry the other instance loaded, or one of its own older than the near ")
                    .append("cache keeps entries (`near.ttl`, 10 s by default).\n\n");
            for (Instance i : with.instances) {
                md.append("- instance ").append(i.name).append(": ").append(i.sharing.describe()).append('\n');
            }
            md.append("\nOne entry crossing over, after the load: ").append(with.probe.describe()).append(".\n\n");
        }
        if (outage.staged()) {
            md.append("## The outage\n\nIn each measured phase ").append(outage.describe()).append(" (each request held, then ")
                    .append("its connection closed unanswered; the client gives up after 5 s). With the agent, `recall.yml` ")
                    .append("gives the rates `staleIfError`: a rate whose reload fails is served from its last value for that ")
                    .append("long past its ttl, and callers wait at most `loadTimeout` for the reload.\n\n");
            for (String line : outageLines(without, with)) {
                md.append("- ").append(line).append('\n');
            }
            md.append('\n');
        }
        md.append("## Correctness\n\n");
        if (with.shared()) {
            for (Instance i : with.instances) {
                md.append("- with the agent, instance ").append(i.name).append(": ").append(i.check.describe()).append('\n');
            }
            for (Instance i : without.instances) {
                md.append("- without the agent, instance ").append(i.name).append(": ").append(i.check.describe()).append('\n');
            }
            md.append("\nThe `/admin/` endpoints read the database without any cache.\n");
        } else {
            md.append(with.instances.get(0).check.describe()).append(" (with the agent; the `/admin/` endpoints read the ")
                    .append("database without any cache). Without the agent: ").append(without.instances.get(0).check.describe())
                    .append(".\n");
        }
        return md.toString();
    }

    /**
     * Errors and p99 of the price requests (the ones that call the rates API) sent during the outage, and what
     * the agent served meanwhile.
     */
    private static List<String> outageLines(Run without, Run with) {
        List<String> lines = new ArrayList<>();
        for (Run run : List.of(without, with)) {
            LoadResult r = run.split() ? run.outage : run.result;
            LoadResult.EndpointStats price = r.endpoints().stream().filter(e -> e.endpoint().equals("price")).findFirst().orElse(null);
            String priceText = price == null ? "no price requests" : String.format(Locale.ROOT,
                    "price requests: %d of %d failed (%.1f%%), p99 %.0f ms", price.errors(), price.count(),
                    price.count() == 0 ? 0 : 100.0 * price.errors() / price.count(), price.p99Ms());
            lines.add(String.format(Locale.ROOT, "%s: %s; all requests: %.1f%% errors, p99 %.0f ms%s", r.label(), priceText,
                    r.counts().errorRate() * 100, r.responseTimes().p99Ms(), run.split() ? " (of those sent during the outage)" : ""));
        }
        AgentFigures.Freshness total = null;
        for (Instance i : with.instances) {
            if (i.freshness != null) {
                total = total == null ? i.freshness : total.plus(i.freshness);
            }
        }
        if (total != null) {
            lines.add("the agent (ExchangeRatesClient.rate, over JMX): " + total.describe()
                    + "; no stale rate is ever older than its ttl plus staleIfError");
        }
        return lines;
    }

    private static void usageRow(StringBuilder md, String metric, List<ServerMonitor.Usage> usages,
                                 java.util.function.Function<ServerMonitor.Usage, String> cell) {
        md.append("| ").append(metric);
        usages.forEach(u -> md.append(" | ").append(cell.apply(u)));
        md.append(" |\n");
    }

    private LoadSpec spec() {
        Duration warmup = Durations.parse(options.string("warmup", "15s"));
        Duration duration = Durations.parse(options.string("duration", "45s"));
        return new LoadSpec(Targets.of(URI.create("http://127.0.0.1/")), options.has("clients") ? Mode.CLOSED : Mode.OPEN,
                // 15 requests/s: what the service sustains without a cache on 2 cores (slowly); at 40/s it
                // drowns in its own backlog, which is a different story from "how much faster".
                options.number("rate", 15), options.integer("clients", 8), warmup, duration,
                options.has("mix") ? Mix.parse(options.string("mix", "")) : Mix.DEFAULT, options.number("zipf", 1.1),
                options.integer("products", 2000), options.integer("seed", 42), Durations.parse(options.string("apdex-t", "100ms")),
                Duration.ofSeconds(10));
    }

    private static String describe(LoadSpec s) {
        return s.pacing() + "; " + s.workload();
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
}
