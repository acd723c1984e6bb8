package dev.recall.it.app;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;

/**
 * Interfaces whose only implementation is a JDK dynamic proxy, as Spring Data makes for a repository
 * interface: the rule names the interface, and no class has a body for {@code findByName} but the proxy.
 */
public class ProxyApp {

    /** Public, so its proxy lives in a jdk.proxyN module. */
    public interface OwnerRepository {
        String findByName(String name);

        String countAll();
    }

    /** Package-private, so its proxy lives in this package. */
    interface VetRepository {
        String findById(long id);
    }

    public static void main(String[] args) {
        InvocationHandler queries = (proxy, method, arguments) -> {
            Counter.ran(method.getName());
            return method.getName().startsWith("find") ? method.getName() + "(" + arguments[0] + ")" : "n";
        };
        OwnerRepository owners = (OwnerRepository) Proxy.newProxyInstance(ProxyApp.class.getClassLoader(),
                new Class<?>[] {OwnerRepository.class}, queries);
        VetRepository vets = (VetRepository) Proxy.newProxyInstance(ProxyApp.class.getClassLoader(),
                new Class<?>[] {VetRepository.class}, queries);
        Counter.print("owners.results", List.of(owners.findByName("ada"), owners.findByName("ada"), owners.findByName("bob")));
        Counter.print("vets.results", List.of(vets.findById(1), vets.findById(1)));
        Counter.print("count.results", List.of(owners.countAll(), owners.countAll()));
        Counter.print("proxyClass", owners.getClass().getName());
        Counter.printCounts();
    }
}
