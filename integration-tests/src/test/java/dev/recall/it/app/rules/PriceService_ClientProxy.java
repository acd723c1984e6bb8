package dev.recall.it.app.rules;

/** Shaped as Quarkus ArC's client proxy: a subclass that delegates to the bean instance. */
public class PriceService_ClientProxy extends PriceService {
    private final PriceService delegate = new PriceService();

    @Override
    public String price(String id) {
        return delegate.price(id);
    }
}
