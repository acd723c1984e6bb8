package dev.recall.sample;

import dev.recall.sample.catalogue.ProductRepository;
import dev.recall.sample.catalogue.ReviewRepository;
import dev.recall.sample.db.CatalogueSeeder;
import dev.recall.sample.db.Database;
import dev.recall.sample.rates.ExchangeRatesClient;
import dev.recall.sample.rates.ExchangeRatesServer;
import dev.recall.sample.scenario.OperationTiming;
import dev.recall.sample.scenario.Report;
import dev.recall.sample.scenario.Scenario;
import dev.recall.sample.scenario.WriteCheck;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * An ordinary application that knows nothing about Recall: run it plain, then with
 * {@code -javaagent:recall-agent.jar=config=recall.yml}, and compare the two tables.
 *
 * <p>Properties: {@code sample.jdbcUrl} (default in-memory H2), {@code sample.products},
 * {@code sample.reviews} (data size), {@code sample.ratesErrorRate} (share of rate requests failing
 * with 503, default 0), {@code sample.linger} (seconds to keep calling the cached reads after the report,
 * for a JMX console to watch; default 0).
 */
public final class SampleApp {

    /** The agent sets this property when it is installed; the application never links to the agent. */
    private static final String AGENT_PROPERTY = "dev.recall.agent.installed";

    private SampleApp() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        boolean agentAttached = System.getProperty(AGENT_PROPERTY) != null;
        double errorRate = Double.parseDouble(System.getProperty("sample.ratesErrorRate", "0"));
        long lingerSeconds = Long.parseLong(System.getProperty("sample.linger", "0"));
        Report report = new Report(System.out);

        WriteCheck check;
        try (ExchangeRatesServer ratesServer = ExchangeRatesServer.start(errorRate);
             Database database = Database.fromSystemProperties()) {
            CatalogueSeeder seeder = CatalogueSeeder.fromSystemProperties();
            seeder.seed(database);
            double seedMs = millisSince(start);

            ProductRepository products = new ProductRepository(database);
            ExchangeRatesClient rates = new ExchangeRatesClient(ratesServer.baseUri());
            Scenario scenario = new Scenario(products, new ReviewRepository(database), rates,
                    seeder.productCount());

            report.header(agentAttached, database.url(), seeder.productCount(), seeder.reviewCount(), seedMs,
                    String.format(Locale.ROOT, "%s (%d-%d ms per request, error rate %.0f%%)",
                            ratesServer.baseUri(), ExchangeRatesServer.DEFAULT_MIN_LATENCY_MS,
                            ExchangeRatesServer.DEFAULT_MAX_LATENCY_MS, errorRate * 100));
            long scenarioStart = System.nanoTime();
            scenario.warmUp();
            List<OperationTiming> timings = scenario.measureReads();
            report.timings(timings);
            check = scenario.writeAndReadBack();
            report.writeCheck(check);
            double scenarioMs = millisSince(scenarioStart);

            long ratesRequests = ratesServer.requestCount();
            double totalMs = millisSince(start);
            report.footer(ratesRequests, seedMs, scenarioMs, totalMs);
            report.results(agentAttached, timings, check, ratesRequests, seedMs, totalMs);
            if (lingerSeconds > 0) {
                report.lingerStart(lingerSeconds, ProcessHandle.current().pid());
                report.linger(scenario.linger(Duration.ofSeconds(lingerSeconds)));
            }
        }
        System.out.flush();
        if (!check.freshAfterWrite() || !check.freshAfterEvict()) {
            // A stale read is this program's one real failure; make it visible to scripts.
            System.exit(2);
        }
    }

    private static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000.0;
    }
}
