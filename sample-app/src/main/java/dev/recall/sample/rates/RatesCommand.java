package dev.recall.sample.rates;

import dev.recall.sample.Options;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/** {@code rates}: the exchange-rates API as a process of its own, as a third party's would be. */
public final class RatesCommand {

    public static final String USAGE = "rates [--port 8090] [--error-rate 0.0] [--min-ms 50] [--max-ms 150]";

    private RatesCommand() {
    }

    public static void run(Options options) throws InterruptedException {
        double errorRate = options.number("error-rate", 0.0);
        ExchangeRatesServer server = ExchangeRatesServer.start(options.integer("port", 8090), errorRate,
                options.integer("min-ms", (int) ExchangeRatesServer.DEFAULT_MIN_LATENCY_MS),
                options.integer("max-ms", (int) ExchangeRatesServer.DEFAULT_MAX_LATENCY_MS));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "rates-shutdown"));
        System.out.printf(Locale.ROOT, "exchange rates API listening on %s (error rate %.1f%%)%n", server.baseUri(), errorRate * 100);
        System.out.flush();
        stopped.await();
    }
}
