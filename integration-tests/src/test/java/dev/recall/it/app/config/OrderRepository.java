package dev.recall.it.app.config;

import dev.recall.it.app.Counter;

/** Also matched by the wildcard rule. */
public class OrderRepository {

    public String findOrder(long id) {
        Counter.ran("findOrder");
        return "order" + id;
    }
}
