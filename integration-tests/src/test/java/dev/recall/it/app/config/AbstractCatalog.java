package dev.recall.it.app.config;

public abstract class AbstractCatalog implements Catalog {
}
