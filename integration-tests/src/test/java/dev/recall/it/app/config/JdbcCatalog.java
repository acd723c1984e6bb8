package dev.recall.it.app.config;

import dev.recall.it.app.Counter;

public class JdbcCatalog implements Catalog {
    @Override
    public String lookup(String name) {
        Counter.ran("jdbcLookup");
        return "jdbc:" + name;
    }
}
