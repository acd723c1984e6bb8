package dev.recall.sample.service;

import dev.recall.sample.catalogue.CategoryStats;
import dev.recall.sample.catalogue.Product;
import dev.recall.sample.catalogue.ProductRepository;
import dev.recall.sample.catalogue.ProductSummary;
import dev.recall.sample.rates.ExchangeRatesClient;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the HTTP endpoints do, in plain Java. It knows nothing of caching: the repository's annotations
 * and {@code recall.yml} do that. What it does know is which writes make which reads stale, and it says
 * so by calling the repository's eviction methods.
 *
 * <p>Shared by all request threads. Writes to one product are serialized (a striped lock), so that two
 * concurrent updates reach the database and the cache in the same order, as a database transaction
 * with {@code SELECT ... FOR UPDATE} would ensure in a larger application.
 */
public final class CatalogueService {

    private static final int STRIPES = 64;

    private final ProductRepository products;
    private final ExchangeRatesClient rates;
    private final ReentrantLock[] writeLocks = new ReentrantLock[STRIPES];

    public CatalogueService(ProductRepository products, ExchangeRatesClient rates) {
        this.products = products;
        this.rates = rates;
        for (int i = 0; i < STRIPES; i++) {
            writeLocks[i] = new ReentrantLock();
        }
    }

    public Product product(long id) {
        return products.findProduct(id);
    }

    /**
     * A basket: its products in the order given (unknown ids left out) and their total, by one bulk call that
     * queries the database for the products no cache holds.
     */
    public Map<String, Object> basket(List<Long> ids) {
        Map<Long, Product> found = products.findProducts(ids);
        List<Product> items = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (Long id : ids) {
            Product p = found.get(id);
            if (p != null) {
                items.add(p);
                total = total.add(p.price());
            }
        }
        Map<String, Object> basket = new LinkedHashMap<>();
        basket.put("items", items);
        basket.put("total", total);
        basket.put("missing", ids.size() - items.size());
        return basket;
    }

    public List<ProductSummary> search(String text) {
        return products.search(text);
    }

    public CategoryStats categoryStats(String category) {
        return products.categoryStats(category);
    }

    /** The product's price converted with the third-party rates API (cached by recall.yml, not by code). */
    public PriceQuote price(long id, String currency) {
        Product p = products.findProduct(id);
        BigDecimal rate = p.currency().equals(currency) ? BigDecimal.ONE : rates.rate(p.currency(), currency);
        return new PriceQuote(id, currency, p.price().multiply(rate).setScale(2, RoundingMode.HALF_EVEN), rate);
    }

    /**
     * Changes a product. The new product goes into the "products" region (write-through); search pages
     * show names and categories, so they all go if either changed; category figures change only if the
     * product moved. A price change touches nothing but the product itself.
     *
     * @param name, category, price the new values, or {@code null} to keep the old ones
     */
    public Product update(long id, String name, String category, BigDecimal price) {
        ReentrantLock lock = writeLocks[Math.floorMod(Long.hashCode(id), STRIPES)];
        lock.lock();
        try {
            Product old = products.productInDatabase(id);
            Product changed = new Product(id, old.sku(), name == null ? old.name() : name,
                    category == null ? old.category() : category, price == null ? old.price() : price, old.currency());
            Product saved = products.save(changed);
            if (!Objects.equals(old.name(), saved.name()) || !Objects.equals(old.category(), saved.category())) {
                products.productsChanged();
            }
            if (!Objects.equals(old.category(), saved.category())) {
                products.categoryChanged(old.category());
                products.categoryChanged(saved.category());
            }
            return saved;
        } finally {
            lock.unlock();
        }
    }

    /** The database's current answers, bypassing every cache: what the demo checks responses against. */
    public Product productInDatabase(long id) {
        return products.productInDatabase(id);
    }

    public CategoryStats categoryStatsInDatabase(String category) {
        return products.categoryStatsInDatabase(category);
    }

    public List<ProductSummary> searchInDatabase(String text) {
        return products.searchInDatabase(text);
    }
}
