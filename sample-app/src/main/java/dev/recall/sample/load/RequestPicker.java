package dev.recall.sample.load;

import dev.recall.sample.db.CatalogueSeeder;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Chooses the next request: the endpoint by the {@link Mix}, and its keys (product id, search word,
 * category, currency) by Zipf popularity, from a seeded random generator so a run can be repeated.
 *
 * <p>With several targets, each request goes to the next one in turn, as a round-robin load balancer
 * would send it; which target a request goes to never changes which request it is, so the sequence of
 * requests is the same whatever the number of targets.
 *
 * <p>Not thread-safe: each sending thread (the open loop's scheduler, each closed-loop client) has its
 * own picker. {@link #fork} gives one that shares the immutable key rankings (so every client agrees on
 * which products are hot) and the turn counter (an atomic, so the targets alternate across all clients
 * as they would behind one balancer), and has its own random stream.
 */
public final class RequestPicker {

    /**
     * Words from the seeder's vocabulary (db/CatalogueSeeder): adjectives, nouns, materials and brands
     * from product names and descriptions, and common to rare words from reviews, so searches return from
     * a handful to a full page of products.
     */
    static final List<String> SEARCH_WORDS = List.of(
            "compact", "deluxe", "classic", "wireless", "portable", "vintage", "smart", "premium", "rugged", "silent",
            "speaker", "novel", "lens", "kettle", "tent", "lamp", "armchair", "jacket", "sneaker", "ukulele",
            "bamboo", "steel", "oak", "leather", "ceramic", "wool", "linen",
            "acme", "hooli", "stark",
            "quality", "delivery", "battery", "waterproof", "sturdy", "warranty", "birthday", "camping",
            "telescope", "zeppelin");

    /** Currencies the exchange-rates API knows besides the catalogue's own EUR (rates/ExchangeRatesServer). */
    static final List<String> CURRENCIES = List.of("USD", "GBP", "JPY", "CHF", "SEK");

    private final List<URI> bases;
    private final AtomicLong turns;
    private final Mix mix;
    private final long seed;
    private final PopularKeys<Integer> productIds;
    private final PopularKeys<String> words;
    private final PopularKeys<String> categories;
    private final PopularKeys<String> currencies;
    private final SplittableRandom random;

    private RequestPicker(List<URI> bases, AtomicLong turns, Mix mix, long seed, PopularKeys<Integer> productIds,
                          PopularKeys<String> words, PopularKeys<String> categories, PopularKeys<String> currencies,
                          SplittableRandom random) {
        this.bases = bases;
        this.turns = turns;
        this.mix = mix;
        this.seed = seed;
        this.productIds = productIds;
        this.words = words;
        this.categories = categories;
        this.currencies = currencies;
        this.random = random;
    }

    public static RequestPicker create(LoadSpec spec) {
        double s = spec.zipfExponent();
        long seed = spec.seed();
        // A different shuffle per key kind: otherwise rank 1 would be "the first" of every list alike.
        return new RequestPicker(spec.target().uris().stream().map(RequestPicker::directory).toList(), new AtomicLong(),
                spec.mix(), seed,
                new PopularKeys<>(IntStream.rangeClosed(1, spec.products()).boxed().toList(), s, seed ^ 0x5EED_0001L),
                new PopularKeys<>(SEARCH_WORDS, s, seed ^ 0x5EED_0002L),
                new PopularKeys<>(CatalogueSeeder.CATEGORIES, s, seed ^ 0x5EED_0003L),
                new PopularKeys<>(CURRENCIES, s, seed ^ 0x5EED_0004L),
                new SplittableRandom(seed));
    }

    /** A picker with the same hot keys and an independent, repeatable random stream numbered {@code stream}. */
    public RequestPicker fork(int stream) {
        return new RequestPicker(bases, turns, mix, seed, productIds, words, categories, currencies,
                new SplittableRandom(seed + 0x9E37_79B9_7F4A_7C15L * (stream + 1L)));
    }

    public PlannedRequest next() {
        URI base = bases.get((int) Math.floorMod(turns.getAndIncrement(), (long) bases.size()));
        Endpoint endpoint = mix.pick(random.nextInt(mix.total()));
        return switch (endpoint) {
            case PRODUCT -> get(base, endpoint, "products/" + productIds.next(random));
            case SEARCH -> get(base, endpoint, "products/search?q=" + URLEncoder.encode(words.next(random), StandardCharsets.UTF_8));
            case STATS -> get(base, endpoint, "categories/"
                    + URLEncoder.encode(categories.next(random), StandardCharsets.UTF_8) + "/stats");
            case PRICE -> get(base, endpoint, "products/" + productIds.next(random) + "/price?currency=" + currencies.next(random));
            case WRITE -> {
                // 5.00 .. 500.00 in whole cents, formatted without locale surprises (no decimal commas).
                long cents = random.nextLong(500, 50_001);
                String body = String.format(Locale.ROOT, "{\"price\": %d.%02d}", cents / 100, cents % 100);
                yield new PlannedRequest(endpoint, "PUT", base.resolve("products/" + productIds.next(random)), body);
            }
        };
    }

    /** The hottest product id (popularity rank 1), for tests and for explaining a run. */
    int hottestProduct() {
        return productIds.atRank(1);
    }

    private static PlannedRequest get(URI base, Endpoint endpoint, String relative) {
        return new PlannedRequest(endpoint, "GET", base.resolve(relative), null);
    }

    /** The target as a directory, so relative paths land under it ({@code http://h:8080} has an empty path). */
    private static URI directory(URI target) {
        String path = target.getRawPath();
        if (path == null || path.isEmpty()) {
            return target.resolve("/");
        }
        return path.endsWith("/") ? target : URI.create(target.toString() + "/");
    }
}
