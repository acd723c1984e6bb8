package dev.recall.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code benchmarks/advise.sh [--quick]}: what advise mode costs, in one run on this machine, as ratios against the
 * same thing without the agent: (1) the sample service's throughput under a closed-loop load (its own load
 * generator, 4 clients), runs alternating without and with {@code advise=dev.recall.sample.**}; (2) a JMH call of
 * an observed method, and of one cheap enough that the advisor retires it.
 */
public final class AdviseBenchMain {

    private static final String JAVA = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    private static final Pattern DONE = Pattern.compile("\\[load] done: (\\d+) requests measured over ([\\d.]+) s, ([\\d.]+) req/s.*");

    private AdviseBenchMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        Path jar = Paths.get(AdviseBenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path root = jar.getParent().getParent().getParent();
        Path agent = root.resolve("agent/target/recall-agent.jar");
        Path sample = root.resolve("sample-app/target/recall-sample.jar");
        Path out = jar.getParent().resolve("advise");
        Files.createDirectories(out);

        StringBuilder t = new StringBuilder();
        t.append("Advise mode against no agent, ").append(BenchmarkMain.machine(quick)).append("\n\n");
        t.append("| sample service, closed loop, 4 clients | without agent, req/s | advise mode, req/s | ratio |\n|---|---|---|---|\n");
        int pairs = quick ? 1 : 3;
        String duration = quick ? "20s" : "40s";
        double sum = 0;
        Process rates = start(List.of(JAVA, "-jar", sample.toString(), "rates", "--port", "0"), out.resolve("rates.log"));
        try {
            String ratesUrl = await(out.resolve("rates.log"), "listening on");
            for (int i = 1; i <= pairs; i++) {
                double plain = throughput(sample, null, ratesUrl, duration, out.resolve("plain-" + i));
                double advised = throughput(sample, "-javaagent:" + agent + "=advise=dev.recall.sample.**", ratesUrl, duration,
                        out.resolve("advise-" + i));
                sum += advised / plain;
                t.append(String.format(Locale.ROOT, "| pair %d | %.1f | %.1f | %.3f |%n", i, plain, advised, advised / plain));
            }
        } finally {
            rates.destroy();
        }
        t.append(String.format(Locale.ROOT, "| mean of the pairs | | | **%.3f** |%n%n", sum / pairs));

        Map<String, double[]> plain = BenchmarkMain.byMethod(BenchmarkMain.options("dev\\.recall\\.bench\\.AdviseBench\\..*", 1, quick),
                List.of());
        Map<String, double[]> advised = BenchmarkMain.byMethod(BenchmarkMain.options("dev\\.recall\\.bench\\.AdviseBench\\..*", 1, quick),
                List.of("-javaagent:" + agent + "=advise=dev.recall.bench.advised.**"));
        t.append("| JMH, one thread | without agent, ns/op | advise mode, ns/op | B/op without / with | ratio |\n|---|---|---|---|---|\n");
        row(t, "observed method (about 30 µs, stays observed)", plain.get("observed"), advised.get("observed"));
        row(t, "cheap method (retired by the advisor once measured)", plain.get("cheap"), advised.get("cheap"));
        System.out.println();
        System.out.println(t);
        Files.writeString(jar.getParent().resolve("advise-results.md"), t.toString(), StandardCharsets.UTF_8);
    }

    private static void row(StringBuilder t, String name, double[] plain, double[] advised) {
        t.append(String.format(Locale.ROOT, "| %s | %.1f ± %.1f | %.1f ± %.1f | %.0f / %.0f | %.3f |%n", name, plain[0], plain[1],
                advised[0], advised[1], plain[2], advised[2], advised[0] / plain[0]));
    }

    /** Starts {@code serve} (with {@code agent} when not null), loads it with 4 clients, and returns its requests per second. */
    private static double throughput(Path sample, String agent, String ratesUrl, String duration, Path dir) throws Exception {
        Files.createDirectories(dir);
        List<String> serve = new ArrayList<>(List.of(JAVA, "-Xmx512m"));
        if (agent != null) {
            serve.add(agent);
        }
        serve.addAll(List.of("-jar", sample.toString(), "serve", "--port", "0", "--rates-url", ratesUrl));
        Process service = start(serve, dir.resolve("serve.log"));
        try {
            String url = await(dir.resolve("serve.log"), "catalogue service listening on");
            Process load = start(List.of(JAVA, "-jar", sample.toString(), "load", "--target", url, "--clients", "4",
                    "--warmup", "10s", "--duration", duration, "--seed", "42"), dir.resolve("load.log"));
            if (!load.waitFor(5, TimeUnit.MINUTES)) {
                load.destroyForcibly();
                throw new IllegalStateException("the load did not end; see " + dir.resolve("load.log"));
            }
            for (String line : Files.readAllLines(dir.resolve("load.log"))) {
                Matcher m = DONE.matcher(line.trim());
                if (m.matches()) {
                    return Double.parseDouble(m.group(3));
                }
            }
            throw new IllegalStateException("no throughput in " + dir.resolve("load.log"));
        } finally {
            service.destroy();
            service.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static Process start(List<String> command, Path log) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The first address on the line of {@code log} that contains {@code marker}, once it is written. */
    private static String await(Path log, String marker) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    if (line.contains(marker)) {
                        Matcher m = Pattern.compile("(http://[\\d.]+:\\d+/)").matcher(line);
                        if (m.find()) {
                            return URI.create(m.group(1)).toString();
                        }
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("nothing said '" + marker + "' in " + log);
    }
}
