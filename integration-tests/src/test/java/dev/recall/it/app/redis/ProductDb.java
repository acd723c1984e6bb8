package dev.recall.it.app.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Stands for the database the application JVMs share: one small file per product in the directory given
 * by {@code -Dapp.db}, so a write by one JVM is what every JVM's uncached read returns. Never cached.
 */
public final class ProductDb {

    private final Path dir;

    public ProductDb(Path dir) {
        this.dir = dir;
    }

    public static ProductDb fromSystemProperty() {
        String dir = System.getProperty("app.db");
        if (dir == null) {
            throw new IllegalStateException("-Dapp.db=DIR is required");
        }
        return new ProductDb(Paths.get(dir));
    }

    /** The product as stored; a product never written has a default row. */
    public Product read(long id) {
        Path file = file(id);
        try {
            if (!Files.exists(file)) {
                return new Product(id, "product-" + id, new BigDecimal(id + ".99"), List.of("tag-" + id % 3, "v1"));
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return new Product(id, lines.get(0), new BigDecimal(lines.get(1)), List.of(lines.get(2).split(",")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(Product p) {
        try {
            Path tmp = Files.createTempFile(dir, "write", ".tmp");
            Files.writeString(tmp, p.name() + "\n" + p.price().toPlainString() + "\n" + String.join(",", p.tags()) + "\n");
            Files.move(tmp, file(p.id()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path file(long id) {
        return dir.resolve("product-" + id + ".txt");
    }
}
