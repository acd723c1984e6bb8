package dev.recall.sample.load;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The catalogue service's endpoints that the load generator exercises, named as in a {@link Mix}. */
public enum Endpoint {
    PRODUCT("product", "GET /products/{id}"),
    SEARCH("search", "GET /products/search?q={word}"),
    STATS("stats", "GET /categories/{category}/stats"),
    PRICE("price", "GET /products/{id}/price?currency={c}"),
    WRITE("write", "PUT /products/{id}");

    private final String key;
    private final String route;

    Endpoint(String key, String route) {
        this.key = key;
        this.route = route;
    }

    /** The name used in a mix ({@code product=40,...}) and in JSON results. */
    public String key() {
        return key;
    }

    /** The request the endpoint stands for, for tables. */
    public String route() {
        return route;
    }

    /** @throws IllegalArgumentException for a name that is not an endpoint's */
    public static Endpoint fromKey(String key) {
        for (Endpoint e : values()) {
            if (e.key.equals(key)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown endpoint '" + key + "'; use one of " + keys());
    }

    static String keys() {
        return Arrays.stream(values()).map(Endpoint::key).collect(Collectors.joining(", "));
    }
}
