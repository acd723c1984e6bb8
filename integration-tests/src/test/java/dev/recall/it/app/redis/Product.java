package dev.recall.it.app.redis;

import java.math.BigDecimal;
import java.util.List;

/** A record, as a repository returns it: it goes to Redis and back through its canonical constructor. */
public record Product(long id, String name, BigDecimal price, List<String> tags) {
}
