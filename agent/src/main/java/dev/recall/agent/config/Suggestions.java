package dev.recall.agent.config;

import java.util.Collection;

/** "Did you mean" for misspelt keys and values. */
public final class Suggestions {

    /** Longer text is not compared with the candidates. */
    private static final int LONGEST_COMPARED = 100;

    private Suggestions() {
    }

    /**
     * The closest candidate within a small edit distance, as {@code "; did you mean 'x'?"}, or a list of all. The
     * text is compared as it looks ({@link Characters#plain}): {@code mаxSize} with a Cyrillic {@code а} is
     * {@code maxSize}.
     */
    public static String didYouMean(String given, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        if (given.length() > LONGEST_COMPARED) {
            // No candidate is that long, and the distance costs the length times the candidate's.
            return "; expected one of " + String.join(", ", candidates);
        }
        // Compared as it looks: a look-alike letter or an invisible character is no edit to the reader.
        String seen = Characters.plain(given).toLowerCase();
        for (String c : candidates) {
            int d = distance(seen, c.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        if (best != null && bestDistance <= Math.max(2, given.length() / 3)) {
            return "; did you mean '" + best + "'?";
        }
        return "; expected one of " + String.join(", ", candidates);
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
