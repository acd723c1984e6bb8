package dev.recall.sample.http;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What an answer carries besides its body: links, related searches, a signed price quote. Each is a method
 * that looks cacheable from its signature and is not, in one of the ways a method cache gets wrong (the
 * README's advisor section shows Recall's advisor refusing all three):
 * {@link #addLinks} writes into its argument, {@link #relatedSearches} returns a list its caller changes, and
 * {@link #quoteToken} depends on the clock.
 *
 * <p>Stateless; thread-safe.
 */
final class ResponseExtras {

    private static final List<String> VOCABULARY = List.of("compact", "deluxe", "classic", "wireless", "portable",
            "vintage", "smart", "premium", "rugged", "silent", "speaker", "novel", "lens", "kettle", "tent", "lamp",
            "armchair", "jacket", "sneaker", "ukulele", "bamboo", "steel", "oak", "leather", "ceramic", "wool", "linen",
            "quality", "delivery", "battery", "waterproof", "sturdy", "warranty", "birthday", "camping", "telescope");
    private static final byte[] QUOTE_KEY = "sample-quote-signing-key".getBytes(StandardCharsets.UTF_8);

    private ResponseExtras() {
    }

    /** Puts the links of {@code route} (itself, its collection) into {@code headers}; how many it put. */
    static int addLinks(String route, Map<String, String> headers) {
        String collection = route.substring(0, Math.max(1, route.lastIndexOf('/')));
        headers.put("Link", "<" + route + ">; rel=\"self\", <" + collection + ">; rel=\"collection\"");
        headers.put("X-Route-Depth", Integer.toString(route.split("/").length - 1));
        return 2;
    }

    /** The known search words closest to {@code text} (by the letter pairs they share), closest first, in a list of the caller's own. */
    static List<String> relatedSearches(String text) {
        List<String> words = new ArrayList<>(VOCABULARY);
        words.sort(Comparator.comparingInt((String w) -> distance(w, text)).thenComparing(w -> w));
        return new ArrayList<>(words.subList(0, 6));
    }

    /** A token saying that a quote in {@code currency} holds for 60 seconds from now, signed so it cannot be extended. */
    static String quoteToken(String currency) {
        String claim = currency + "|" + Instant.now().plus(60, ChronoUnit.SECONDS).truncatedTo(ChronoUnit.MILLIS);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(QUOTE_KEY, "HmacSHA256"));
            byte[] signature = mac.doFinal(claim.getBytes(StandardCharsets.UTF_8));
            return claim + "|" + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /** How unlike two words are: the letter pairs of either that the other lacks (0 for anagrams of pairs alike). */
    private static int distance(String a, String b) {
        Set<String> pairsOfA = pairs(a);
        Set<String> pairsOfB = pairs(b);
        int unlike = 0;
        for (String p : pairsOfA) {
            unlike += pairsOfB.contains(p) ? 0 : 1;
        }
        for (String p : pairsOfB) {
            unlike += pairsOfA.contains(p) ? 0 : 1;
        }
        return unlike;
    }

    private static Set<String> pairs(String word) {
        Set<String> pairs = new HashSet<>();
        for (int i = 0; i + 1 < word.length(); i++) {
            pairs.add(word.substring(i, i + 2));
        }
        return pairs;
    }
}
