package dev.recall.it.app.rules;

import dev.recall.it.app.Counter;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;

/** Issue 24's rule matching, run with rules.yml: several evictions on one method, generated subclasses, interface rules. */
public class RulesApp {

    public static void main(String[] args) throws Exception {
        // Every class of the test loaded at once, well within the agent's delay before it reports unmatched rules.
        for (String name : List.of("Catalog", "PriceService", "ArticleStore", "PriceService_Subclass", "InterceptedPrices")) {
            Class.forName(RulesApp.class.getPackageName() + "." + name);
        }
        Catalog c = new Catalog();
        // Several evictions (and a write) on one method, all in one call.
        c.readA("x");
        c.readB("x");
        c.readC("x");
        c.readC("y");
        c.readA("x");
        c.readB("x");
        c.readC("x");
        c.readC("y");
        Counter.print("beforeUpdate", Counter.count("readA") + "," + Counter.count("readB") + "," + Counter.count("readC"));
        c.update("x");
        c.readA("x");
        c.readB("x");
        c.readC("x");
        c.readC("y");
        Counter.print("afterUpdate", Counter.count("readA") + "," + Counter.count("readB") + "," + Counter.count("readC"));
        c.readD("k");
        c.readA("k");
        c.readB("k");
        c.save("k", "new-d");
        Counter.print("readD.afterSave", c.readD("k"));
        c.readA("k");
        c.readB("k");
        Counter.print("afterSave", Counter.count("readA") + "," + Counter.count("readB") + "," + Counter.count("readD"));

        // Generated subclasses: the call is cached once, at PriceService.price.
        List<PriceApi> all = List.of(new PriceService(), new PriceService_Subclass(), new PriceService_ClientProxy(),
                new PriceService$HibernateProxy$Ab12(), new PriceService$ByteBuddy$Xy34(), new PriceService$$SpringCGLIB$$0(),
                new PriceService$$EnhancerBySpringCGLIB$$1(), new PriceService_$$_jvst1a_0(), new InterceptedPrices());
        for (int round = 0; round < 2; round++) {
            for (PriceApi p : all) {
                p.price("same");
            }
        }
        Counter.print("price.calls", Counter.count("price"));
        Counter.print("price.hits", attribute("dev.recall.it.app.rules.PriceService.price(java.lang.String)", "HitCount"));

        // Interface rules: only what the interface declares.
        ArticleStore store = new ArticleStore();
        store.findBySlug("s");
        store.findBySlug("s");
        store.findBySlug("s", 1);
        store.findBySlug("s", 1);
        store.delete("q", "p");
        store.update("q", Map.of());
        store.findBySlug("s");
        Counter.print("findBySlug.beforeDelete", Counter.count("findBySlug"));
        store.delete("s");
        store.findBySlug("s");
        Counter.print("findBySlug.afterDelete", Counter.count("findBySlug"));
        Counter.print("findBySlugPaged.calls", Counter.count("findBySlugPaged"));

        Counter.print("instrumented", String.join(" | ", (String[]) ManagementFactory.getPlatformMBeanServer()
                .getAttribute(new ObjectName("dev.recall:type=Agent"), "InstrumentedMethods")));
        Thread.sleep(Long.getLong("app.linger", 0));
    }

    /** A method's MBean attribute, waiting up to 10 s for the agent's background thread to register the bean. */
    private static String attribute(String method, String attribute) throws InterruptedException {
        try {
            ObjectName name = new ObjectName("dev.recall:type=CachedMethod,name=" + ObjectName.quote(method));
            for (int i = 0; i < 100 && !ManagementFactory.getPlatformMBeanServer().isRegistered(name); i++) {
                Thread.sleep(100);
            }
            return String.valueOf(ManagementFactory.getPlatformMBeanServer().getAttribute(name, attribute));
        } catch (javax.management.JMException e) {
            return "<" + e + ">";
        }
    }
}
