package dev.recall.sample.load;

import dev.recall.sample.Options;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code load} and {@code compare} commands of the sample jar. */
public final class LoadCommand {

    public static final String LOAD_USAGE = String.join("\n",
            "load --target http://127.0.0.1:8080/[,http://127.0.0.1:8081/...] [--rate 40 | --clients 8] [--warmup 10s] [--duration 30s]",
            "       [--mix product=40,search=15,stats=15,price=20,write=10] [--zipf 1.1] [--products 2000]",
            "       [--apdex-t 100ms] [--timeout 10s] [--seed 42] [--label NAME] [--out result.json]",
            "  --rate: open loop at that many requests/s (the default, 40); --clients: closed loop with N clients",
            "  several targets (instances of one service) take the requests in turn, as behind a round-robin load balancer");
    public static final String COMPARE_USAGE =
            "compare a.json b.json [--markdown]   two saved load results side by side (b against a)";

    private LoadCommand() {
    }

    public static void load(Options options) throws IOException {
        if (options.has("rate") && options.has("clients")) {
            throw new IllegalArgumentException("give --rate (open loop) or --clients (closed loop), not both");
        }
        LoadSpec spec = LoadSpec.defaults(Targets.parse(options.string("target", "http://127.0.0.1:8080/")));
        spec = options.has("clients") ? spec.withClients(options.integer("clients", 8))
                : spec.withRate(options.number("rate", spec.ratePerSecond()));
        spec = spec.withPhases(duration(options, "warmup", spec.warmup().toString()),
                        duration(options, "duration", spec.duration().toString()))
                .withMix(options.has("mix") ? Mix.parse(options.string("mix", "")) : spec.mix())
                .withKeys(options.number("zipf", spec.zipfExponent()), options.integer("products", spec.products()),
                        Long.parseLong(options.string("seed", Long.toString(spec.seed()))))
                .withApdexT(duration(options, "apdex-t", spec.apdexT().toString()))
                .withTimeout(duration(options, "timeout", spec.timeout().toString()));
        String label = options.string("label", "load");
        System.out.println("load: " + spec.target() + ", " + spec.pacing() + ", " + spec.workload());
        LoadResult result = LoadGenerator.run(spec, label, System.out);
        System.out.println();
        System.out.print(result.table());
        if (options.has("out")) {
            Path out = Path.of(options.string("out", "result.json"));
            Files.writeString(out, result.toJson(), StandardCharsets.UTF_8);
            System.out.println("result written to " + out);
        }
    }

    /** {@code compare a.json b.json [--markdown]}, arguments from {@code args[from]}. */
    public static void compare(String[] args, int from) throws IOException {
        List<String> files = new ArrayList<>();
        boolean markdown = false;
        for (int i = from; i < args.length; i++) {
            if (args[i].equals("--markdown")) {
                markdown = true;
            } else if (args[i].startsWith("--")) {
                throw new IllegalArgumentException("compare takes two result files and --markdown, not " + args[i]);
            } else {
                files.add(args[i]);
            }
        }
        if (files.size() != 2) {
            throw new IllegalArgumentException("compare needs two result files written by load --out");
        }
        LoadResult a = read(Path.of(files.get(0)));
        LoadResult b = read(Path.of(files.get(1)));
        System.out.print(markdown ? LoadResult.compareMarkdown(a, b) : LoadResult.compare(a, b));
    }

    private static LoadResult read(Path file) throws IOException {
        try {
            return LoadResult.fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static java.time.Duration duration(Options options, String name, String fallback) {
        return Durations.parse(options.string(name, fallback));
    }
}
