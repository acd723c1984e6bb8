package dev.recall.it.app.tenant;

import dev.recall.it.app.Counter;
import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * One process that deploys the same application twice, as a plugin host or an application server does:
 * two class loaders (tenants A and B, each seeing the test classes and the annotations, not the
 * application class path) define {@link Tenant} and {@link Quote} anew, and each tenant's configuration
 * differs. Each tenant calls every method twice with the same arguments, A first; then both again.
 * Prints what each tenant got and how many bodies ran, and whether every result was its own tenant's.
 */
public class TenantsApp {

    public static void main(String[] args) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.contains("test-classes") || entry.contains("recall-annotations")) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        int wrong = 0;
        List<URLClassLoader> loaders = new ArrayList<>();
        List<Object> services = new ArrayList<>();
        for (String tenant : new String[] {"A", "B"}) {
            URLClassLoader loader = new URLClassLoader("tenant-" + tenant, urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
            Class<?> type = loader.loadClass("dev.recall.it.app.tenant.Tenant");
            type.getField("name").set(null, tenant);
            loaders.add(loader);
            services.add(type.getConstructor().newInstance());
        }
        if (List.of(args).contains("--await-redis")) {
            awaitRedis(); // the tenants' cached methods are known now, and with them the Redis store
        }
        for (int round = 0; round < 2; round++) {
            for (int t = 0; t < 2; t++) {
                String tenant = t == 0 ? "A" : "B";
                Object s = services.get(t);
                Class<?> type = s.getClass();
                String greeting = (String) call(s, "greet", new Class<?>[] {String.class}, "ann");
                long price = (long) call(s, "price", new Class<?>[] {String.class}, "sku-1");
                Object quote = call(s, "quote", new Class<?>[] {String.class}, "sku-1");
                String xy = (String) call(s, "joined", new Class<?>[] {String.class, String.class}, "x:y", "z");
                String yz = (String) call(s, "joined", new Class<?>[] {String.class, String.class}, "x", "y:z");
                String none = (String) call(s, "user", new Class<?>[] {String.class}, (Object) null);
                String nullText = (String) call(s, "user", new Class<?>[] {String.class}, "null");
                String late = (String) call(s, "at", new Class<?>[] {Date.class}, new Date(1500));
                String early = (String) call(s, "at", new Class<?>[] {Date.class}, new Date(1000));
                wrong += check(greeting.equals("hello ann from " + tenant), tenant + " greeting " + greeting);
                wrong += check(price == (tenant.equals("A") ? 100 : 200), tenant + " price " + price);
                wrong += check(quote.getClass().getClassLoader() == type.getClassLoader()
                        && quote.toString().equals("Quote[sku=sku-1, tenant=" + tenant + "]"), tenant + " quote " + quote
                        + " of loader " + quote.getClass().getClassLoader());
                wrong += check(xy.equals(tenant + "[x:y|z]"), tenant + " joined " + xy);
                wrong += check(yz.equals(tenant + "[x|y:z]"), tenant + " joined " + yz);
                wrong += check(none.equals(tenant + " no user"), tenant + " user(null) " + none);
                wrong += check(nullText.equals(tenant + " user null"), tenant + " user(\"null\") " + nullText);
                wrong += check(late.equals(tenant + "@1500"), tenant + " at(1500) " + late);
                wrong += check(early.equals(tenant + "@1000"), tenant + " at(1000) " + early);
                if (round == 1) {
                    Counter.print("tenant." + tenant + ".results", List.of(greeting, price, quote, xy, yz, none, nullText, late, early));
                    Counter.print("tenant." + tenant + ".calls", type.getField("calls").getInt(null));
                }
            }
        }
        Counter.print("wrong", wrong);
        for (URLClassLoader l : loaders) {
            l.close();
        }
    }

    /** Waits (up to 15 s) until the agent says Redis is up, so that no call runs before it can be read. */
    private static void awaitRedis() throws Exception {
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName agent = new javax.management.ObjectName("dev.recall:type=Agent");
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (server.isRegistered(agent) && "UP".equals(String.valueOf(server.getAttribute(agent, "RedisState")))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("Redis was not UP within 15 s");
    }

    private static Object call(Object service, String method, Class<?>[] types, Object... args) throws Exception {
        Method m = service.getClass().getMethod(method, types);
        return m.invoke(service, args);
    }

    private static int check(boolean right, String what) {
        if (!right) {
            System.out.println("WRONG " + what);
        }
        return right ? 0 : 1;
    }
}
