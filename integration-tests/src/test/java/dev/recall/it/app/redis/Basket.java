package dev.recall.it.app.redis;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An ordinary class: not {@code Serializable}, no no-argument constructor, mutable collections and an
 * array among its fields. It must come back from Redis equal to what was stored.
 */
public class Basket {

    private final String owner;
    private final List<String> items;
    private final Map<String, Integer> quantities;
    private final BigDecimal total;
    private final LocalDate created;
    private final int[] codes;

    public Basket(String owner, List<String> items, Map<String, Integer> quantities, BigDecimal total, LocalDate created,
                  int[] codes) {
        this.owner = owner;
        this.items = items;
        this.quantities = quantities;
        this.total = total;
        this.created = created;
        this.codes = codes;
    }

    /** What the "database" holds for a customer: derived from the address, the same in every JVM. */
    public static Basket of(String email) {
        int n = Math.floorMod(email.hashCode(), 5) + 1;
        List<String> items = new ArrayList<>();
        Map<String, Integer> quantities = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            items.add("sku-" + i);
            quantities.put("sku-" + i, i + 1);
        }
        return new Basket(email, items, quantities, new BigDecimal("19.90").multiply(BigDecimal.valueOf(n)),
                LocalDate.of(2026, 11, 23), new int[] {n, n * 2, n * 3});
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Basket b && owner.equals(b.owner) && items.equals(b.items) && quantities.equals(b.quantities)
                && total.equals(b.total) && created.equals(b.created) && Arrays.equals(codes, b.codes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(owner, items, quantities, total, created, Arrays.hashCode(codes));
    }

    @Override
    public String toString() {
        return "Basket[items=" + items + ", quantities=" + quantities + ", total=" + total + ", created=" + created
                + ", codes=" + Arrays.toString(codes) + ", " + items.getClass().getSimpleName() + ", "
                + quantities.getClass().getSimpleName() + "]";
    }
}
