package dev.recall.it.app;

import dev.recall.it.app.config.Catalog;
import dev.recall.it.app.config.JdbcCatalog;
import dev.recall.it.app.config.OrderRepository;
import dev.recall.it.app.config.PriceService;
import dev.recall.it.app.config.RemoteCatalog;
import dev.recall.it.app.config.RetunedService;
import dev.recall.it.app.config.UserRepository;
import java.util.List;

/** Methods cached through {@code config-app.yml} with no change to their code. */
public class ConfigApp {

    public static void main(String[] args) throws InterruptedException {
        PriceService prices = new PriceService();
        Counter.print("price.results", List.of(prices.price("A1", "EUR"), prices.price("A1", "EUR"), prices.price("A1", "USD")));
        prices.reset("A1", "EUR");
        prices.price("A1", "EUR");

        UserRepository users = new UserRepository();
        users.findUser(1);
        users.findUser(1);
        users.findUserByEmail("a@b.c", true);
        users.findUserByEmail("a@b.c", true);
        users.countUsers();
        users.countUsers();
        OrderRepository orders = new OrderRepository();
        orders.findOrder(5);
        orders.findOrder(5);

        Catalog jdbc = new JdbcCatalog();
        Catalog remote = new RemoteCatalog();
        jdbc.lookup("x");
        jdbc.lookup("x");
        remote.lookup("x");
        remote.lookup("x");

        RetunedService retuned = new RetunedService();
        retuned.value("k");
        Thread.sleep(700);
        retuned.value("k");
        retuned.regionMoved("k", 1);
        retuned.regionMoved("k", 2);
        Counter.print("sameRegionReader.result", retuned.sameRegionReader("k"));
        retuned.writeBehind("k", "v1");
        retuned.writeBehind("k", "v2");
        Counter.print("writeBehind.atOnce", Counter.count("writeBehind"));
        retuned.writeBackWithResult("k");
        retuned.writeBackWithResult("k");
        Thread.sleep(500); // past the write-back delay (100 ms)

        Counter.printCounts();
        // Stay alive past the unmatched-rule warning delay the test sets.
        Thread.sleep(Long.getLong("app.linger", 0));
    }
}
