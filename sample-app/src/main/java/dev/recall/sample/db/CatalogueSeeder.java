package dev.recall.sample.db;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Random;

/**
 * Creates the catalogue schema and fills it with the same data on every run (a fixed random seed), so
 * timings and results can be compared between a run with the agent and one without.
 *
 * <p>The schema is plain SQL that H2 and PostgreSQL both accept. Only the primary keys are indexed: the
 * slow queries (stats per category, text search) have to scan {@code reviews}, which is what makes them
 * worth caching. For the same reason {@code reviews.product_id} has no foreign key, because H2 would
 * create an index for it.
 */
public final class CatalogueSeeder {

    /**
     * Default sizes, measured on a 2-core machine: the stats and search queries take about 30-70 ms
     * each and seeding about 1.5 s. Twice the reviews roughly doubles both.
     */
    public static final int DEFAULT_PRODUCTS = 2_000;
    public static final int DEFAULT_REVIEWS = 150_000;

    public static final List<String> CATEGORIES = List.of(
            "audio", "books", "cameras", "computers", "kitchen", "garden", "toys", "sports", "outdoor",
            "office", "lighting", "furniture", "clothing", "shoes", "jewellery", "beauty", "health", "pets",
            "automotive", "music");

    private static final long SEED = 20_240_601L;
    private static final int BATCH = 1_000;

    private static final String[] BRANDS = {
            "Acme", "Northwind", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wonka",
            "Tyrell", "Cyberdyne", "Soylent", "Gringotts", "Monarch", "Oceanic", "Aperture"};
    private static final String[] ADJECTIVES = {
            "compact", "deluxe", "classic", "wireless", "portable", "ergonomic", "vintage", "smart",
            "foldable", "premium", "rugged", "minimal", "heavy-duty", "eco", "silent", "modular"};
    private static final String[] NOUNS = {
            "speaker", "novel", "lens", "laptop stand", "kettle", "hose", "puzzle", "racket", "tent",
            "stapler", "lamp", "armchair", "jacket", "sneaker", "bracelet", "face cream", "thermometer",
            "dog bed", "roof box", "ukulele"};
    private static final String[] MATERIALS = {
            "bamboo", "steel", "oak", "aluminium", "cotton", "leather", "glass", "ceramic", "recycled plastic",
            "wool", "carbon", "linen"};

    // Common words first: words are drawn with a skew towards the start, so the tail words are rare
    // and a search for them returns a realistic handful of products rather than all of them.
    private static final String[] REVIEW_WORDS = {
            "good", "great", "works", "quality", "price", "nice", "bought", "would", "recommend", "again",
            "fast", "delivery", "product", "expected", "happy", "small", "bigger", "well", "made", "cheap",
            "feels", "solid", "returned", "broke", "after", "week", "month", "daily", "use", "gift",
            "looks", "exactly", "like", "picture", "colour", "size", "fits", "perfectly", "instructions",
            "easy", "setup", "battery", "lasts", "noise", "quiet", "sturdy", "flimsy", "value", "money",
            "packaging", "damaged", "support", "helpful", "replacement", "arrived", "late", "early",
            "kids", "love", "wife", "husband", "office", "kitchen", "garden", "travel", "camping",
            "weekend", "winter", "summer", "rain", "waterproof", "scratches", "smell", "strong", "weak",
            "handle", "button", "screen", "cable", "charger", "zipper", "stitching", "paint", "finish",
            "wobbly", "assembly", "screws", "missing", "manual", "warranty", "refund", "seller", "courier",
            "neighbour", "birthday", "christmas", "anniversary", "grandmother", "puppy", "kitten",
            "bicycle", "balcony", "attic", "basement", "caravan", "sailboat", "lighthouse", "orchestra",
            "marathon", "volcano", "glacier", "telescope", "harpsichord", "origami", "zeppelin"};

    private final Random random = new Random(SEED);
    private final int productCount;
    private final int reviewCount;

    public CatalogueSeeder(int productCount, int reviewCount) {
        this.productCount = productCount;
        this.reviewCount = reviewCount;
    }

    /** Sizes from {@code -Dsample.products} and {@code -Dsample.reviews}, else the defaults. */
    public static CatalogueSeeder fromSystemProperties() {
        return new CatalogueSeeder(
                Integer.getInteger("sample.products", DEFAULT_PRODUCTS),
                Integer.getInteger("sample.reviews", DEFAULT_REVIEWS));
    }

    public int productCount() {
        return productCount;
    }

    public int reviewCount() {
        return reviewCount;
    }

    /** How much a catalogue holds. */
    public record Size(long products, long reviews) {
    }

    /**
     * The size of the catalogue already in {@code database}, for a process that shares a database another
     * one seeded and must not seed it again (that would drop the tables under the other's queries).
     *
     * @throws DataAccessException if there is no catalogue there
     */
    public static Size existing(Database database) {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            long products = count(statement, "products");
            return new Size(products, count(statement, "reviews"));
        } catch (SQLException e) {
            throw new DataAccessException("no catalogue in " + database.url() + " to share: seed it first (serve without --no-seed)", e);
        }
    }

    private static long count(Statement statement, String table) throws SQLException {
        try (var rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Drops and recreates the tables, then fills them. Not meant to run concurrently with queries. */
    public void seed(Database database) {
        try (Connection connection = database.connect()) {
            createSchema(connection);
            connection.setAutoCommit(false);
            insertProducts(connection);
            insertReviews(connection);
            connection.commit();
        } catch (SQLException e) {
            throw new DataAccessException("seeding failed", e);
        }
    }

    private static void createSchema(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS reviews");
            statement.execute("DROP TABLE IF EXISTS products");
            statement.execute("""
                    CREATE TABLE products (
                      id          BIGINT PRIMARY KEY,
                      sku         VARCHAR(32) NOT NULL,
                      name        VARCHAR(200) NOT NULL,
                      description VARCHAR(2000) NOT NULL,
                      category    VARCHAR(64) NOT NULL,
                      price       DECIMAL(12, 2) NOT NULL,
                      currency    CHAR(3) NOT NULL
                    )""");
            statement.execute("""
                    CREATE TABLE reviews (
                      id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                      product_id BIGINT NOT NULL,
                      rating     INT NOT NULL,
                      body       VARCHAR(2000) NOT NULL
                    )""");
        }
    }

    private void insertProducts(Connection connection) throws SQLException {
        String sql = "INSERT INTO products (id, sku, name, description, category, price, currency)"
                + " VALUES (?, ?, ?, ?, ?, ?, 'EUR')";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (int id = 1; id <= productCount; id++) {
                int categoryIndex = random.nextInt(CATEGORIES.size());
                String adjective = pick(ADJECTIVES);
                String material = pick(MATERIALS);
                String name = pick(BRANDS) + " " + capitalise(adjective) + " " + capitalise(NOUNS[categoryIndex]);
                String description = "A " + adjective + " " + NOUNS[categoryIndex] + " made of " + material
                        + ". " + capitalise(reviewSentence(12)) + ".";
                // Prices between 4.99 and 999.99, ending in .99 or .49 like a real shop's.
                BigDecimal price = BigDecimal.valueOf(4 + random.nextInt(996))
                        .add(new BigDecimal(random.nextBoolean() ? "0.99" : "0.49"));
                insert.setLong(1, id);
                insert.setString(2, String.format("SKU-%06d", id));
                insert.setString(3, name);
                insert.setString(4, description);
                insert.setString(5, CATEGORIES.get(categoryIndex));
                insert.setBigDecimal(6, price);
                insert.addBatch();
                if (id % BATCH == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
    }

    private void insertReviews(Connection connection) throws SQLException {
        // Ids come from the identity column, so reviews written later continue the sequence.
        String sql = "INSERT INTO reviews (product_id, rating, body) VALUES (?, ?, ?)";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (int review = 1; review <= reviewCount; review++) {
                insert.setLong(1, 1 + random.nextInt(productCount));
                insert.setInt(2, rating());
                insert.setString(3, capitalise(reviewSentence(6 + random.nextInt(14))) + ".");
                insert.addBatch();
                if (review % BATCH == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
    }

    /** Ratings lean positive, as they do in real shops. */
    private int rating() {
        int roll = random.nextInt(100);
        if (roll < 8) {
            return 1;
        } else if (roll < 15) {
            return 2;
        } else if (roll < 30) {
            return 3;
        } else if (roll < 60) {
            return 4;
        }
        return 5;
    }

    private String reviewSentence(int words) {
        StringBuilder text = new StringBuilder(words * 8);
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                text.append(' ');
            }
            double skewed = Math.pow(random.nextDouble(), 3);
            text.append(REVIEW_WORDS[(int) (skewed * REVIEW_WORDS.length)]);
        }
        return text.toString();
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String capitalise(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
