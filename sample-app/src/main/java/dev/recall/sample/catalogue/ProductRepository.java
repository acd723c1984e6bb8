package dev.recall.sample.catalogue;

import dev.recall.CacheEvict;
import dev.recall.Cached;
import dev.recall.Strategy;
import dev.recall.sample.db.DataAccessException;
import dev.recall.sample.db.Database;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Products over plain JDBC, with the Recall annotations a developer would add to it. Without the agent
 * the annotations do nothing and every call goes to the database.
 *
 * <p>Thread-safe: it holds no mutable state besides an atomic counter, and every call uses its own
 * connection. Everything it returns is immutable, which matters because cached values are shared.
 */
public class ProductRepository {

    /** Search results are a page, not the whole catalogue. */
    public static final int SEARCH_LIMIT = 50;

    private static final String PRODUCT_COLUMNS = "id, sku, name, category, price, currency";

    private final Database database;
    private final AtomicLong categoryChanges = new AtomicLong();

    public ProductRepository(Database database) {
        this.database = database;
    }

    /*
     * Each read below comes twice: the cached method, and an "...InDatabase" twin that the annotations leave
     * alone, the reference for freshness checks. Both open their own connection and hand it to the query
     * itself, so the cached method is where the value is made (what Recall's advisor recommends caching),
     * not a wrapper around its twin.
     */

    /** One product by primary key: fast, but the most frequent call of a shop. */
    @Cached(cache = "products", key = "{id}", ttl = "5m")
    public Product findProduct(long id) {
        try (Connection connection = database.connect()) {
            return product(connection, id);
        } catch (SQLException e) {
            throw new DataAccessException("findProduct(" + id + ") failed", e);
        }
    }

    /**
     * A basket's products in one query, cached per product ({@code bulk = true}): the entries are
     * {@link #findProduct}'s, so a basket of ten products of which eight were viewed before queries two, and a
     * write of one product ({@link #save}) changes only its entry. Products that do not exist are left out.
     */
    @Cached(cache = "products", ttl = "5m", bulk = true)
    public Map<Long, Product> findProducts(Collection<Long> ids) {
        Map<Long, Product> found = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        String marks = String.join(", ", Collections.nCopies(ids.size(), "?"));
        String sql = "SELECT " + PRODUCT_COLUMNS + " FROM products WHERE id IN (" + marks + ")";
        try (Connection connection = database.connect(); PreparedStatement query = connection.prepareStatement(sql)) {
            int i = 1;
            for (Long id : ids) {
                query.setLong(i++, id);
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Product p = product(rows);
                    found.put(p.id(), p);
                }
            }
            return found;
        } catch (SQLException e) {
            throw new DataAccessException("findProducts(" + ids.size() + " ids) failed", e);
        }
    }

    /** The product as the database holds it right now, never cached: the reference for freshness checks. */
    public Product productInDatabase(long id) {
        try (Connection connection = database.connect()) {
            return product(connection, id);
        } catch (SQLException e) {
            throw new DataAccessException("productInDatabase(" + id + ") failed", e);
        }
    }

    private static Product product(Connection connection, long id) throws SQLException {
        String sql = "SELECT " + PRODUCT_COLUMNS + " FROM products WHERE id = ?";
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setLong(1, id);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    throw new NoSuchElementException("no product " + id);
                }
                return product(rows);
            }
        }
    }

    /**
     * The slow one: the category's reviews are joined to its products and aggregated. Nothing indexes
     * {@code reviews.product_id}, so the database scans all reviews each time. A minute of staleness is
     * acceptable for a header figure; writers call {@link #categoryChanged} to drop it sooner.
     */
    @Cached(cache = "category-stats", key = "{category}", ttl = "1m")
    public CategoryStats categoryStats(String category) {
        try (Connection connection = database.connect()) {
            return categoryStats(connection, category);
        } catch (SQLException e) {
            throw new DataAccessException("categoryStats(" + category + ") failed", e);
        }
    }

    /** {@link #categoryStats} computed now, never cached. */
    public CategoryStats categoryStatsInDatabase(String category) {
        try (Connection connection = database.connect()) {
            return categoryStats(connection, category);
        } catch (SQLException e) {
            throw new DataAccessException("categoryStatsInDatabase(" + category + ") failed", e);
        }
    }

    private static CategoryStats categoryStats(Connection connection, String category) throws SQLException {
        // Two steps: the category's product ids first, then one scan of the reviews against that list.
        // A correlated "IN (SELECT id FROM products ...)" would be re-evaluated by H2 whenever products
        // change, and under steady price updates the aggregation then never finishes.
        String products = "SELECT id FROM products WHERE category = ?";
        String reviews = "SELECT COUNT(*), AVG(CAST(rating AS DECIMAL(10, 4))) FROM reviews WHERE product_id = ANY(?)";
        try (PreparedStatement productQuery = connection.prepareStatement(products);
             PreparedStatement reviewQuery = connection.prepareStatement(reviews)) {
            productQuery.setString(1, category);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rows = productQuery.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            reviewQuery.setArray(1, connection.createArrayOf("BIGINT", ids.toArray()));
            try (ResultSet rows = reviewQuery.executeQuery()) {
                rows.next();
                long reviewCount = rows.getLong(1);
                BigDecimal average = rows.getBigDecimal(2);
                double averageRating = average == null
                        ? 0.0
                        : average.setScale(2, RoundingMode.HALF_EVEN).doubleValue();
                return new CategoryStats(category, ids.size(), reviewCount, averageRating);
            }
        }
    }

    /**
     * Case-insensitive substring search over names, descriptions and review bodies: an ILIKE '%...%'
     * (H2 and PostgreSQL both have it) that no ordinary index can serve. CACHE_ASIDE because two users
     * typing the same words at once may both run it; coalescing them is not worth a lock here.
     */
    @Cached(cache = "search", ttl = "30s", strategy = Strategy.CACHE_ASIDE)
    public List<ProductSummary> search(String text) {
        try (Connection connection = database.connect()) {
            return search(connection, text);
        } catch (SQLException e) {
            throw new DataAccessException("search(" + text + ") failed", e);
        }
    }

    /** {@link #search} run now, never cached. */
    public List<ProductSummary> searchInDatabase(String text) {
        try (Connection connection = database.connect()) {
            return search(connection, text);
        } catch (SQLException e) {
            throw new DataAccessException("searchInDatabase(" + text + ") failed", e);
        }
    }

    private static List<ProductSummary> search(Connection connection, String text) throws SQLException {
        String sql = "SELECT " + PRODUCT_COLUMNS + " FROM products"
                + " WHERE name ILIKE ? ESCAPE '\\'"
                + " OR description ILIKE ? ESCAPE '\\'"
                + " OR id IN (SELECT product_id FROM reviews WHERE body ILIKE ? ESCAPE '\\')"
                + " ORDER BY id FETCH FIRST " + SEARCH_LIMIT + " ROWS ONLY";
        String pattern = "%" + escapeLike(text) + "%";
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, pattern);
            query.setString(2, pattern);
            query.setString(3, pattern);
            List<ProductSummary> found = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found.add(new ProductSummary(rows.getLong("id"), rows.getString("sku"), rows.getString("name"),
                            rows.getString("category")));
                }
            }
            // Immutable: the cached list is shared by every caller that hits it.
            return List.copyOf(found);
        }
    }

    /**
     * Writes a product and returns it as stored (price rounded to cents). WRITE_THROUGH puts that return
     * value into the "products" region, so {@link #findProduct} serves the new price at once instead of
     * the old one for up to five minutes.
     */
    @Cached(cache = "products", key = "{product.id}", strategy = Strategy.WRITE_THROUGH)
    public Product save(Product product) {
        Product stored = product.withPrice(product.price().setScale(2, RoundingMode.HALF_EVEN));
        String sql = "UPDATE products SET sku = ?, name = ?, category = ?, price = ?, currency = ? WHERE id = ?";
        try (Connection connection = database.connect();
             PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, stored.sku());
            update.setString(2, stored.name());
            update.setString(3, stored.category());
            update.setBigDecimal(4, stored.price());
            update.setString(5, stored.currency());
            update.setLong(6, stored.id());
            if (update.executeUpdate() != 1) {
                throw new NoSuchElementException("no product " + stored.id());
            }
            return stored;
        } catch (SQLException e) {
            throw new DataAccessException("save(" + product.id() + ") failed", e);
        }
    }

    /**
     * Tells the cache that a category's figures changed. The body only counts; the point is the
     * annotation, which drops that category's stats so the next read recomputes them.
     */
    @CacheEvict(cache = "category-stats", key = "{category}")
    public void categoryChanged(String category) {
        categoryChanges.incrementAndGet();
    }

    /**
     * Tells the cache that products were renamed or moved: search pages show names and categories, so
     * every cached page may now be stale and the whole region goes. (They show no prices, so a price
     * change leaves them alone.)
     */
    @CacheEvict(cache = "search", allEntries = true)
    public void productsChanged() {
        // Nothing to do here: the eviction is the point.
    }

    /** How often {@link #categoryChanged} was called. */
    public long categoryChanges() {
        return categoryChanges.get();
    }

    /** The price as the database holds it right now, never cached: the reference for freshness checks. */
    public BigDecimal priceInDatabase(long id) {
        return productInDatabase(id).price();
    }

    private static Product product(ResultSet rows) throws SQLException {
        return new Product(
                rows.getLong("id"),
                rows.getString("sku"),
                rows.getString("name"),
                rows.getString("category"),
                rows.getBigDecimal("price"),
                rows.getString("currency").trim());
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
