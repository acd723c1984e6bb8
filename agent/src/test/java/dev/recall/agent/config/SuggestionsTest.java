package dev.recall.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    private static final List<String> KEYS = List.of("defaults", "store", "methods", "evict");

    @Test
    void closeMatchIsSuggested() {
        assertEquals("; did you mean 'methods'?", Suggestions.didYouMean("mehtods", KEYS));
    }

    @Test
    void caseIsIgnoredWhenComparing() {
        assertEquals("; did you mean 'maxSize'?", Suggestions.didYouMean("MAXSIZE", List.of("ttl", "maxSize", "cacheNulls")));
    }

    @Test
    void theClosestOfSeveralIsSuggested() {
        assertEquals("; did you mean 'write-back'?",
                Suggestions.didYouMean("write-bak", List.of("read-through", "cache-aside", "write-through", "write-back")));
    }

    @Test
    void nothingCloseListsAllCandidates() {
        assertEquals("; expected one of defaults, store, methods, evict", Suggestions.didYouMean("zzzzzzzz", KEYS));
    }

    @Test
    void noCandidatesListsNothing() {
        assertEquals("; expected one of ", Suggestions.didYouMean("x", List.of()));
    }

    @Test
    void distanceCountsEdits() {
        assertEquals(0, Suggestions.distance("ttl", "ttl"));
        assertEquals(1, Suggestions.distance("tll", "ttl"));
        assertEquals(2, Suggestions.distance("mehtods", "methods"));
        assertEquals(3, Suggestions.distance("", "abc"));
        assertEquals(3, Suggestions.distance("kitten", "sitting"));
    }
}
