package dev.recall.it.app.rules;

import dev.recall.it.app.Counter;

/** The real method, where the call is cached. */
public class PriceService implements PriceApi {
    @Override
    public String price(String id) {
        Counter.ran("price");
        return "p-" + id;
    }
}
