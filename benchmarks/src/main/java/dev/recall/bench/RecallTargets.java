package dev.recall.bench;

import dev.recall.Cached;
import dev.recall.Strategy;

/** The same work behind {@code @Cached}: what a user of Recall writes. Woven by the agent at class load. */
public class RecallTargets {

    @Cached(cache = "rt-long")
    public String byLong(long id) {
        return Work.byLong(id);
    }

    @Cached(cache = "rt-two")
    public String byTwo(String sku, int quantity) {
        return Work.byTwo(sku, quantity);
    }

    @Cached(cache = "rt-order", key = "{order.id}")
    public String byOrder(Work.Order order) {
        return Work.byOrder(order);
    }

    /** A template with text around two placeholders: the key is a tuple of the text and both values. */
    @Cached(cache = "rt-template", key = "sku:{0}:{1}")
    public String byTemplate(String sku, int quantity) {
        return Work.byTwo(sku, quantity);
    }

    /** One placeholder with text: the key is the text and the value, in one small object. */
    @Cached(cache = "rt-prefixed", key = "user:{0}")
    public String byPrefixed(long id) {
        return Work.byLong(id);
    }

    @Cached(cache = "ca-long", strategy = Strategy.CACHE_ASIDE)
    public String byLongAside(long id) {
        return Work.byLong(id);
    }

    @Cached(cache = "ca-two", strategy = Strategy.CACHE_ASIDE)
    public String byTwoAside(String sku, int quantity) {
        return Work.byTwo(sku, quantity);
    }

    @Cached(cache = "ca-order", key = "{order.id}", strategy = Strategy.CACHE_ASIDE)
    public String byOrderAside(Work.Order order) {
        return Work.byOrder(order);
    }

    /** A mutable entity: each hit gets its own copy (copy: auto). */
    @Cached(cache = "rt-owner")
    public Work.Owner owner(long id) {
        return Work.owner(id);
    }

    /** Every call a new key: the miss path, load and store included. */
    @Cached(cache = "miss-long")
    public String miss(long id) {
        return Work.byLong(id);
    }
}
