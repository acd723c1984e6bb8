package dev.recall.sample.load;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Relative weights of the endpoints in the generated traffic, e.g. {@code product=40,search=15,...}:
 * each request picks an endpoint with probability weight / total. Weights need not add up to 100.
 */
public record Mix(int product, int search, int stats, int price, int write) {

    /** Mostly reads, a tenth writes: what a shop's catalogue sees. */
    public static final Mix DEFAULT = new Mix(40, 15, 15, 20, 10);

    public Mix {
        if (product < 0 || search < 0 || stats < 0 || price < 0 || write < 0) {
            throw new IllegalArgumentException("mix weights must not be negative");
        }
        if ((long) product + search + stats + price + write == 0) {
            throw new IllegalArgumentException("mix weights must not all be zero");
        }
    }

    /**
     * Parses {@code name=weight} pairs separated by commas; names not given get weight 0.
     *
     * @throws IllegalArgumentException for an unknown or repeated name, or a weight that is not a
     *         non-negative integer
     */
    public static Mix parse(String text) {
        Map<Endpoint, Integer> weights = new EnumMap<>(Endpoint.class);
        for (String part : text.split(",")) {
            String pair = part.trim();
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected name=weight in the mix, got '" + pair + "'");
            }
            Endpoint endpoint = Endpoint.fromKey(pair.substring(0, eq).trim().toLowerCase(Locale.ROOT));
            int weight;
            try {
                weight = Integer.parseInt(pair.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("weight of '" + endpoint.key() + "' is not a whole number: '"
                        + pair.substring(eq + 1) + "'");
            }
            if (weights.put(endpoint, weight) != null) {
                throw new IllegalArgumentException("'" + endpoint.key() + "' appears twice in the mix");
            }
        }
        return new Mix(weights.getOrDefault(Endpoint.PRODUCT, 0), weights.getOrDefault(Endpoint.SEARCH, 0),
                weights.getOrDefault(Endpoint.STATS, 0), weights.getOrDefault(Endpoint.PRICE, 0),
                weights.getOrDefault(Endpoint.WRITE, 0));
    }

    public int weight(Endpoint endpoint) {
        return switch (endpoint) {
            case PRODUCT -> product;
            case SEARCH -> search;
            case STATS -> stats;
            case PRICE -> price;
            case WRITE -> write;
        };
    }

    public int total() {
        return product + search + stats + price + write;
    }

    /** The endpoint for a uniformly drawn {@code ticket} in {@code [0, total())}. */
    public Endpoint pick(int ticket) {
        if (ticket < 0 || ticket >= total()) {
            throw new IllegalArgumentException("ticket " + ticket + " outside 0.." + (total() - 1));
        }
        int remaining = ticket;
        for (Endpoint e : Endpoint.values()) {
            remaining -= weight(e);
            if (remaining < 0) {
                return e;
            }
        }
        throw new AssertionError("weights add up to total()");
    }

    /** The form {@link #parse} reads, so a mix survives a round trip through text (and JSON). */
    @Override
    public String toString() {
        return "product=" + product + ",search=" + search + ",stats=" + stats + ",price=" + price + ",write=" + write;
    }
}
