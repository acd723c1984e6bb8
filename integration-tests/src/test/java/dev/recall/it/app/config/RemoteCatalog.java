package dev.recall.it.app.config;

import dev.recall.it.app.Counter;

/** Implements the interface through an abstract class: still an implementation. */
public class RemoteCatalog extends AbstractCatalog {
    @Override
    public String lookup(String name) {
        Counter.ran("remoteLookup");
        return "remote:" + name;
    }
}
