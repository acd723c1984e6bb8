package dev.recall.it.app.config;

import dev.recall.it.app.Counter;

/** No annotations: cached only because the configuration file names it. */
public class PriceService {

    public String price(String sku, String currency) {
        Counter.ran("price");
        return sku + "@" + currency;
    }

    public void reset(String sku, String currency) {
    }
}
