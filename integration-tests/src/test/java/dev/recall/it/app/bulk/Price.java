package dev.recall.it.app.bulk;

import java.util.Objects;

/** A mutable bean, so the agent holds it by value (a caller that changes its copy changes nobody else's). */
public class Price {

    private String sku;
    private long cents;

    public Price() {
    }

    public Price(String sku, long cents) {
        this.sku = sku;
        this.cents = cents;
    }

    public String getSku() {
        return sku;
    }

    public long getCents() {
        return cents;
    }

    public void setCents(long cents) {
        this.cents = cents;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Price p && p.sku.equals(sku) && p.cents == cents;
    }

    @Override
    public int hashCode() {
        return Objects.hash(sku, cents);
    }

    @Override
    public String toString() {
        return sku + ":" + cents;
    }
}
