package dev.recall.sample.catalogue;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A catalogue entry. Immutable, so a cached instance can be handed to every caller safely (the agent
 * caches by reference).
 */
public record Product(long id, String sku, String name, String category, BigDecimal price, String currency) {

    public Product {
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(currency, "currency");
    }

    public Product withPrice(BigDecimal newPrice) {
        return new Product(id, sku, name, category, newPrice, currency);
    }
}
