package dev.recall.it.app.rules;

/** Shaped as a framework's interception subclass is named: overrides the method and calls the real one. */
public class PriceService$$SpringCGLIB$$0 extends PriceService {
    @Override
    public String price(String id) {
        return super.price(id);
    }
}
