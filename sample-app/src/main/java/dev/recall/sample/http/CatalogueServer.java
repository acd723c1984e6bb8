package dev.recall.sample.http;

import dev.recall.sample.Options;
import dev.recall.sample.catalogue.ProductRepository;
import dev.recall.sample.db.CatalogueSeeder;
import dev.recall.sample.db.Database;
import dev.recall.sample.rates.ExchangeRatesClient;
import dev.recall.sample.rates.ExchangeRatesServer;
import dev.recall.sample.service.CatalogueService;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * {@code serve}: seeds the database, connects to the exchange-rates API and serves the catalogue until
 * the process is stopped (Ctrl-C or SIGTERM).
 */
public final class CatalogueServer {

    public static final String USAGE = String.join("\n",
            "serve [--port 8080] [--jdbc-url URL] [--rates-url URL] [--threads 32] [--products 2000] [--reviews 150000]",
            "  --port 0 picks a free port. Without --rates-url an exchange-rates API starts inside the process.",
            "  --jdbc-url jdbc:postgresql://127.0.0.1:5432/test?user=postgres uses PostgreSQL (default: in-memory H2)",
            "  --no-seed uses the catalogue another instance seeded in a shared --jdbc-url database (default: drop and seed it)");

    private CatalogueServer() {
    }

    public static void run(Options options) throws Exception {
        long began = System.nanoTime();
        String url = options.string("jdbc-url", System.getProperty("sample.jdbcUrl", Database.DEFAULT_URL));
        Database database = Database.of(url);
        CatalogueSeeder seeder = new CatalogueSeeder(options.integer("products", CatalogueSeeder.DEFAULT_PRODUCTS),
                options.integer("reviews", CatalogueSeeder.DEFAULT_REVIEWS));
        CatalogueSeeder.Size size;
        if (options.flag("no-seed")) {
            size = CatalogueSeeder.existing(database);
        } else {
            seeder.seed(database);
            size = new CatalogueSeeder.Size(seeder.productCount(), seeder.reviewCount());
        }
        ExchangeRatesServer embeddedRates = options.has("rates-url") ? null : ExchangeRatesServer.start();
        URI ratesUri = embeddedRates == null ? URI.create(options.string("rates-url", "")) : embeddedRates.baseUri();
        CatalogueService service = new CatalogueService(new ProductRepository(database), new ExchangeRatesClient(ratesUri));
        CatalogueHttpServer http = new CatalogueHttpServer(service, options.integer("port", 8080), options.integer("threads", 32));
        http.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            http.close();
            if (embeddedRates != null) {
                embeddedRates.close();
            }
            database.close();
            stopped.countDown();
        }, "catalogue-shutdown"));
        System.out.printf(Locale.ROOT, "catalogue service listening on %s (database %s, %d products, %d reviews, rates API %s; "
                        + "ready in %.1f s)%n", http.baseUri(), url, size.products(), size.reviews(), ratesUri,
                (System.nanoTime() - began) / 1e9);
        System.out.flush();
        stopped.await();
    }
}
