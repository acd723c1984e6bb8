package dev.recall.sample.scenario;

import dev.recall.sample.catalogue.CategoryStats;
import dev.recall.sample.catalogue.Product;
import dev.recall.sample.catalogue.ProductRepository;
import dev.recall.sample.catalogue.ReviewRepository;
import dev.recall.sample.rates.ExchangeRateException;
import dev.recall.sample.rates.ExchangeRatesClient;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * A fixed, single-threaded walk through the catalogue: the same calls in the same order on every run, so
 * a run with the agent and one without can be compared line by line. It never knows whether a cache is
 * there; it only measures.
 */
public final class Scenario {

    /** Calls per key after the first one. */
    public static final int REPEATS = 5;

    private static final List<String> CATEGORIES = List.of("audio", "kitchen", "pets");
    private static final List<String> SEARCHES = List.of("waterproof", "telescope", "zeppelin");
    private static final List<List<String>> CURRENCY_PAIRS =
            List.of(List.of("EUR", "USD"), List.of("EUR", "GBP"), List.of("USD", "JPY"));
    private static final BigDecimal PRICE_INCREASE = new BigDecimal("10.00");

    /** {@link #linger}: pause between two calls, and the share of calls that use a key outside the hot set. */
    public static final long LINGER_PAUSE_MS = 100;
    private static final double LINGER_NEW_KEY_SHARE = 0.1;
    private static final List<String> MORE_CATEGORIES = List.of("books", "garden", "toys", "music", "office");
    private static final List<String> MORE_SEARCHES = List.of("gift", "glacier", "origami", "balcony", "puppy");
    private static final List<String> MORE_CURRENCIES = List.of("CHF", "SEK", "PLN", "CAD");

    private final ProductRepository products;
    private final ReviewRepository reviews;
    private final ExchangeRatesClient rates;
    private final List<Long> productIds;
    private final int productCount;

    public Scenario(ProductRepository products, ReviewRepository reviews, ExchangeRatesClient rates,
                    int productCount) {
        this.products = products;
        this.reviews = reviews;
        this.rates = rates;
        this.productIds = List.of(1L, (long) Math.max(1, productCount / 2), (long) productCount);
        this.productCount = productCount;
    }

    /**
     * Loads classes, compiles hot paths and opens the HTTP connection using keys the measured part never
     * uses, so "first call" below means a cold key, not a cold JVM.
     */
    public void warmUp() {
        for (int i = 0; i < 3; i++) {
            products.findProduct(2 + i);
            products.categoryStats("toys");
            products.search("gift");
            try {
                rates.rate("EUR", "CHF");
            } catch (ExchangeRateException e) {
                // An unreliable API is part of the setting; warming up only needs the attempt.
            }
        }
    }

    public List<OperationTiming> measureReads() {
        List<OperationTiming> timings = new ArrayList<>();
        timings.add(measure("findProduct", productIds, products::findProduct,
                (id, product) -> "findProduct(" + id + ") = " + product.name() + ", "
                        + product.price() + " " + product.currency()));
        timings.add(measure("categoryStats", CATEGORIES, products::categoryStats,
                (category, stats) -> "categoryStats(" + category + ") = " + stats.productCount()
                        + " products, " + stats.reviewCount() + " reviews, average " + stats.averageRating()));
        timings.add(measure("search", SEARCHES, products::search,
                (text, found) -> "search(" + text + ") = " + found.size() + " products"
                        + (found.isEmpty() ? "" : ", first " + found.get(0).name())));
        timings.add(measure("rate", CURRENCY_PAIRS, pair -> rates.rate(pair.get(0), pair.get(1)),
                (pair, rate) -> "rate(" + pair.get(0) + ", " + pair.get(1) + ") = " + rate));
        return timings;
    }

    /**
     * Changes a product that is already cached and checks the next read sees the change (the
     * WRITE_THROUGH save), then adds a review and checks the category stats count it once
     * {@code categoryChanged} has been called (the eviction).
     */
    public WriteCheck writeAndReadBack() {
        long id = productIds.get(1);
        Product before = products.findProduct(id);
        CategoryStats statsBefore = products.categoryStats(before.category());

        BigDecimal newPrice = before.price().add(PRICE_INCREASE);
        long start = System.nanoTime();
        products.save(before.withPrice(newPrice));
        double saveMs = millisSince(start);
        Product after = products.findProduct(id);
        BigDecimal inDatabase = products.priceInDatabase(id);

        reviews.addReview(id, 5, "Still good value after the price change.");
        products.categoryChanged(before.category());
        start = System.nanoTime();
        CategoryStats statsAfter = products.categoryStats(before.category());
        double statsAfterMs = millisSince(start);

        return new WriteCheck(id, before.price(), newPrice, after.price(), inDatabase, saveMs,
                before.category(), statsBefore.reviewCount(), statsAfter.reviewCount(), statsAfterMs);
    }

    /**
     * Steady traffic after the measured part, for a JMX console to watch (VisualVM, JConsole): for the given
     * time, one cached read every {@link #LINGER_PAUSE_MS} ms, the four operations in turn, mostly on the
     * scenario's keys and one call in ten on another key (a fixed random seed picks them). With the agent,
     * most calls are hits, the rest misses and expiries, so the {@code dev.recall} MBeans show live figures.
     */
    public Linger linger(Duration duration) {
        Random random = new Random(duration.toMillis());
        long end = System.nanoTime() + duration.toNanos();
        int calls = 0;
        int failures = 0;
        while (System.nanoTime() < end) {
            boolean newKey = random.nextDouble() < LINGER_NEW_KEY_SHARE;
            try {
                switch (calls % 4) {
                    case 0 -> products.findProduct(
                            newKey ? 1 + random.nextInt(productCount) : pick(random, productIds));
                    case 1 -> products.categoryStats(pick(random, newKey ? MORE_CATEGORIES : CATEGORIES));
                    case 2 -> products.search(pick(random, newKey ? MORE_SEARCHES : SEARCHES));
                    default -> {
                        List<String> pair = newKey
                                ? List.of("EUR", pick(random, MORE_CURRENCIES))
                                : pick(random, CURRENCY_PAIRS);
                        rates.rate(pair.get(0), pair.get(1));
                    }
                }
            } catch (RuntimeException e) {
                failures++;
            }
            calls++;
            try {
                Thread.sleep(LINGER_PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new Linger(duration.toSeconds(), calls, failures);
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /**
     * Each key once, then every key again {@link #REPEATS} times, round-robin as real traffic would. A call
     * that throws (the rates API answers 503 when {@code sample.ratesErrorRate} is set) is counted and
     * the walk goes on, as a page would render without that figure.
     */
    private static <K, V> OperationTiming measure(String operation, List<K> keys, Function<K, V> call,
                                                  Describer<K, V> describe) {
        Tally tally = new Tally();
        double firstTotal = 0;
        for (K key : keys) {
            firstTotal += tally.time(key, call, describe);
        }
        double repeatTotal = 0;
        for (int round = 0; round < REPEATS; round++) {
            for (K key : keys) {
                repeatTotal += tally.time(key, call, describe);
            }
        }
        int repeatCalls = REPEATS * keys.size();
        String sample = tally.sample != null
                ? tally.sample
                : "every " + operation + " call failed: " + tally.error;
        return new OperationTiming(operation, keys.size(), keys.size() + repeatCalls, tally.failures,
                firstTotal / keys.size(), repeatTotal / repeatCalls, sample);
    }

    /** Failures and the first successful result of one operation. */
    private static final class Tally {
        int failures;
        String sample;
        String error;

        <K, V> double time(K key, Function<K, V> call, Describer<K, V> describe) {
            long start = System.nanoTime();
            try {
                V value = call.apply(key);
                double ms = millisSince(start);
                if (sample == null) {
                    sample = describe.describe(key, value);
                }
                return ms;
            } catch (RuntimeException e) {
                double ms = millisSince(start);
                failures++;
                error = e.getMessage();
                return ms;
            }
        }
    }

    private static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000.0;
    }

    @FunctionalInterface
    private interface Describer<K, V> {
        String describe(K key, V value);
    }
}
