package dev.recall.sample.scenario;

import java.math.BigDecimal;

/**
 * What the write part of the scenario observed: whether reads right after a write see it.
 *
 * @param productId      the product whose price was changed
 * @param oldPrice       its price before (already read, so cached when an agent is attached)
 * @param newPrice       the price written with {@code save}
 * @param readPrice      what {@code findProduct} returned right after the write
 * @param databasePrice  what the database holds, read without any cache
 * @param saveMs         how long {@code save} took
 * @param category       the product's category, whose stats a new review changes
 * @param reviewsBefore  the category's review count before the new review
 * @param reviewsAfter   the count {@code categoryStats} returned after {@code categoryChanged}
 * @param statsAfterMs   how long that {@code categoryStats} call took (a recomputation, not a hit)
 */
public record WriteCheck(long productId, BigDecimal oldPrice, BigDecimal newPrice, BigDecimal readPrice,
                         BigDecimal databasePrice, double saveMs, String category, long reviewsBefore,
                         long reviewsAfter, double statsAfterMs) {

    /** The read after the write returned what the database holds, and that is what was written. */
    public boolean freshAfterWrite() {
        return readPrice.compareTo(databasePrice) == 0 && databasePrice.compareTo(newPrice) == 0;
    }

    /** The stats read after the eviction counted the review written just before it. */
    public boolean freshAfterEvict() {
        return reviewsAfter == reviewsBefore + 1;
    }
}
