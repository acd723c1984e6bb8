package dev.recall.sample.load;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where the load goes: one service's base URI, or the base URIs of several instances of the same service,
 * which then take the requests in turn, like a round-robin load balancer in front of them. Written and
 * parsed as the URIs separated by commas ({@code http://127.0.0.1:8080/,http://127.0.0.1:8081/}), so a
 * single target reads and prints as a plain URI. Immutable.
 */
public final class Targets {

    private final List<URI> uris;

    private Targets(List<URI> uris) {
        if (uris.isEmpty()) {
            throw new IllegalArgumentException("give at least one target URI");
        }
        for (URI uri : uris) {
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                throw new IllegalArgumentException("target must be an http:// or https:// URI: " + uri);
            }
        }
        this.uris = List.copyOf(uris);
    }

    public static Targets of(URI... uris) {
        return new Targets(List.of(uris));
    }

    public static Targets of(List<URI> uris) {
        return new Targets(uris);
    }

    /**
     * Parses URIs separated by commas; spaces around them are ignored.
     *
     * @throws IllegalArgumentException for an empty list or a URI that is not http:// or https://
     */
    public static Targets parse(String text) {
        List<URI> uris = new ArrayList<>();
        for (String part : text.split(",")) {
            String uri = part.trim();
            if (!uri.isEmpty()) {
                try {
                    uris.add(URI.create(uri));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("not a URI: '" + uri + "'", e);
                }
            }
        }
        return new Targets(uris);
    }

    public List<URI> uris() {
        return uris;
    }

    public int size() {
        return uris.size();
    }

    /** The form {@link #parse} reads: the URIs separated by commas. */
    @Override
    public String toString() {
        return uris.stream().map(URI::toString).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Targets t && uris.equals(t.uris);
    }

    @Override
    public int hashCode() {
        return uris.hashCode();
    }
}
