package com.acme.shop;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.http.HttpStatus;

/**
 * The writes, each a transaction. They change entities loaded through the repositories' finders and let Hibernate's
 * dirty checking save them at commit; placing an order persists one that refers to a loaded customer (cascade).
 */
@Service
public class ShopService {

    private final CustomerRepository customers;
    private final ProductRepository products;
    private final OrderRepository orders;
    private final CategoryRepository categories;

    public ShopService(CustomerRepository customers, ProductRepository products, OrderRepository orders,
                       CategoryRepository categories) {
        this.customers = customers;
        this.products = products;
        this.orders = orders;
        this.categories = categories;
    }

    private Customer customer(Long id) {
        return customers.findById(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no customer " + id));
    }

    /** Renames by dirty checking (no save), then reads the customer again inside the transaction. */
    @Transactional
    public Customer saveName(Long id, String name) {
        customer(id).setName(name);
        return customer(id);
    }

    /** {@link #saveName} inside a transaction kept open {@code holdMs} longer: readers meanwhile see the old row. */
    @Transactional
    public Customer saveNameSlowly(Long id, String name, long holdMs) throws InterruptedException {
        Customer c = saveName(id, name);
        customers.flush();
        Thread.sleep(holdMs);
        return c;
    }

    @Transactional
    public Customer saveEmail(Long id, String email) {
        Customer c = customer(id);
        c.setEmail(email);
        return c;
    }

    /**
     * A new order of the customer loaded by the cached finder: persisting it cascades to the customer, which
     * must be managed ("detached entity passed to persist" otherwise); the customer's order count is dirty-checked.
     */
    @Transactional
    public PurchaseOrder saveOrder(Long customerId, Long productId, int quantity) {
        Customer c = customer(customerId);
        Product p = products.findById(productId)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no product " + productId));
        PurchaseOrder o = new PurchaseOrder(c, "NEW");
        o.addLine(p, quantity);
        c.setOrderCount(c.getOrderCount() + 1);
        return orders.save(o);
    }

    @Transactional
    public void deleteOrder(Long id) {
        PurchaseOrder o = orders.findById(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no order " + id));
        Customer c = o.getCustomer();
        c.setOrderCount(c.getOrderCount() - 1);
        c.getOrders().remove(o);
        orders.delete(o);
    }

    /** Moves a product to another category: the product and both categories' lists are stale after. */
    @Transactional
    public Product saveProductCategory(Long id, String category) {
        Product p = products.findById(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no product " + id));
        p.setCategory(categories.findByName(category)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST, "no category " + category)));
        return p;
    }

    /**
     * {@link #saveProductPrice} inside a transaction kept open {@code holdMs} longer: readers meanwhile see the old
     * row. (Named so that the evictions configured for saveProduct* do not match it: only the inner write evicts.)
     */
    @Transactional
    public Product slowlyReprice(Long id, long cents, long holdMs) throws InterruptedException {
        Product p = saveProductPrice(id, cents);
        products.flush();
        Thread.sleep(holdMs);
        return p;
    }

    /** A price change saved explicitly (Spring Data's save merges). */
    @Transactional
    public Product saveProductPrice(Long id, long cents) {
        Product p = products.findById(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no product " + id));
        p.setPriceCents(cents);
        return products.save(p);
    }
}
