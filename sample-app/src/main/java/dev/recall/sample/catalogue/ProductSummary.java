package dev.recall.sample.catalogue;

/**
 * A line of a search result page: what identifies a product, without its price. Prices change often and
 * the product page shows the current one; leaving them out of search pages means a price change does
 * not make every cached page stale.
 */
public record ProductSummary(long id, String sku, String name, String category) {
}
