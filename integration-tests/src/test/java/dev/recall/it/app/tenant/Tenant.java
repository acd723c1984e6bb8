package dev.recall.it.app.tenant;

import dev.recall.Cached;
import java.util.Date;

/**
 * One tenant's service, defined anew by each tenant's class loader (see {@link TenantsApp}): the same class
 * name and code for every tenant, answering with the tenant's own configuration ({@link #name}, set per
 * loader). Static state is the loader's own, so each tenant counts its own bodies.
 */
public class Tenant {

    public static String name;
    public static int calls;

    @Cached(cache = "tenant-greetings")
    public String greet(String who) {
        calls++;
        return "hello " + who + " from " + name;
    }

    @Cached(cache = "tenant-prices", key = "price:{0}")
    public long price(String sku) {
        calls++;
        return name.equals("A") ? 100 : 200;
    }

    /** A result of the tenant's own class: served to the other tenant, the caller's cast would fail. */
    @Cached(cache = "tenant-quotes")
    public Quote quote(String sku) {
        calls++;
        return new Quote(sku, name);
    }

    @Cached(cache = "tenant-joined", key = "{0}:{1}")
    public String joined(String a, String b) {
        calls++;
        return name + "[" + a + "|" + b + "]";
    }

    @Cached(cache = "tenant-users", key = "user:{0}")
    public String user(String id) {
        calls++;
        return name + (id == null ? " no user" : " user " + id);
    }

    @Cached(cache = "tenant-times", key = "t:{0}")
    public String at(Date when) {
        calls++;
        return name + "@" + when.getTime();
    }
}
