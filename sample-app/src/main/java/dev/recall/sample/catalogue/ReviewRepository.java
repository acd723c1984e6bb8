package dev.recall.sample.catalogue;

import dev.recall.sample.db.DataAccessException;
import dev.recall.sample.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Writes reviews. Not cached and not annotated: a new review changes a category's stats, so the caller
 * follows it with {@link ProductRepository#categoryChanged}, whose eviction makes the stats fresh.
 *
 * <p>Thread-safe: no state besides the shared {@link Database}.
 */
public class ReviewRepository {

    private final Database database;

    public ReviewRepository(Database database) {
        this.database = database;
    }

    public void addReview(long productId, int rating, String body) {
        if (rating < 1 || rating > 5) {
            throw new IllegalArgumentException("rating must be 1..5: " + rating);
        }
        String sql = "INSERT INTO reviews (product_id, rating, body) VALUES (?, ?, ?)";
        try (Connection connection = database.connect();
             PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setLong(1, productId);
            insert.setInt(2, rating);
            insert.setString(3, body);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new DataAccessException("addReview(" + productId + ") failed", e);
        }
    }
}
