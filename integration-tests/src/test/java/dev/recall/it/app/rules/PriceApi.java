package dev.recall.it.app.rules;

/** What a rule on an interface names: its implementations, never the framework's subclasses of them. */
public interface PriceApi {
    String price(String id);
}
