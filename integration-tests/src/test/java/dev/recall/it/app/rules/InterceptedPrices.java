package dev.recall.it.app.rules;

/**
 * An interception subclass with no telltale name: found by the marker interface it implements (ArC's
 * io.quarkus.arc.Subclass, stood in for here), read from its class file header.
 */
public class InterceptedPrices extends PriceService implements io.quarkus.arc.Subclass {
    @Override
    public String price(String id) {
        return super.price(id);
    }
}
