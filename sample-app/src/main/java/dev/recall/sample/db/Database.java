package dev.recall.sample.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The catalogue database: an embedded in-memory H2 by default, any JDBC URL with
 * {@code -Dsample.jdbcUrl=...} (with {@code -Dsample.jdbcUser} and {@code -Dsample.jdbcPassword}).
 *
 * <p>There is deliberately no connection pool: each operation opens and closes its own connection, which
 * for in-memory H2 is cheap and keeps the class safe to share between threads without any locking.
 * {@code DB_CLOSE_DELAY=-1} keeps the in-memory database alive between those connections.
 */
public final class Database implements AutoCloseable {

    public static final String DEFAULT_URL = "jdbc:h2:mem:catalogue;DB_CLOSE_DELAY=-1";

    private final String url;
    private final String user;
    private final String password;

    private Database(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** A database by JDBC URL; credentials, if any, in the URL (PostgreSQL: {@code ?user=...&password=...}). */
    public static Database of(String url) {
        return url.startsWith("jdbc:h2:") ? new Database(url, "sa", "") : new Database(url, null, null);
    }

    /** The database named by the system properties, or the in-memory default. */
    public static Database fromSystemProperties() {
        return new Database(
                System.getProperty("sample.jdbcUrl", DEFAULT_URL),
                System.getProperty("sample.jdbcUser", "sa"),
                System.getProperty("sample.jdbcPassword", ""));
    }

    public String url() {
        return url;
    }

    /** A new connection; the caller closes it. */
    public Connection connect() {
        try {
            return user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, password);
        } catch (SQLException e) {
            throw new DataAccessException("cannot connect to " + url, e);
        }
    }

    /**
     * Drops the in-memory database so its memory is returned at once. An external database is left as it
     * is: it outlives this program by design.
     */
    @Override
    public void close() {
        if (!url.startsWith("jdbc:h2:mem:")) {
            return;
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        } catch (SQLException e) {
            throw new DataAccessException("cannot shut down " + url, e);
        }
    }
}
