package com.acme.shop;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The API: answers are records made from the entities here, in the controller (so with open-in-view, lazily). */
@RestController
@RequestMapping("/api")
public class ShopController {

    public record CustomerView(Long id, String name, String email, int orderCount) {
        static CustomerView of(Customer c) {
            return new CustomerView(c.getId(), c.getName(), c.getEmail(), c.getOrderCount());
        }
    }

    public record LineView(String product, String category, long priceCents, int quantity) {
    }

    public record OrderView(Long id, String status, List<LineView> lines) {
        static OrderView of(PurchaseOrder o) {
            return new OrderView(o.getId(), o.getStatus(), o.getLines().stream().map(l -> new LineView(l.getProduct().getName(),
                    l.getProduct().getCategory().getName(), l.getProduct().getPriceCents(), l.getQuantity())).toList());
        }
    }

    public record CustomerOrdersView(CustomerView customer, List<OrderView> orders) {
        static CustomerOrdersView of(Customer c) {
            return new CustomerOrdersView(CustomerView.of(c), c.getOrders().stream().map(OrderView::of).toList());
        }
    }

    public record ProductView(Long id, String name, long priceCents, String category) {
        static ProductView of(Product p) {
            return new ProductView(p.getId(), p.getName(), p.getPriceCents(), p.getCategory().getName());
        }
    }

    private final CustomerRepository customers;
    private final ProductRepository products;
    private final OrderRepository orders;
    private final ShopService service;
    private final JdbcTemplate jdbc;

    public ShopController(CustomerRepository customers, ProductRepository products, OrderRepository orders, ShopService service,
                          JdbcTemplate jdbc) {
        this.customers = customers;
        this.products = products;
        this.orders = orders;
        this.service = service;
        this.jdbc = jdbc;
    }

    private static ResponseStatusException notFound(String what) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no " + what);
    }

    @GetMapping("/customers/{id}")
    public CustomerView customer(@PathVariable Long id) {
        return CustomerView.of(customers.findById(id).orElseThrow(() -> notFound("customer " + id)));
    }

    @GetMapping("/customers")
    public List<CustomerView> customers(@RequestParam(required = false) String email, @RequestParam(required = false) String prefix) {
        if (email != null) {
            return customers.findByEmail(email).map(CustomerView::of).stream().toList();
        }
        return customers.findByNameStartingWithOrderById(prefix == null ? "" : prefix).stream().map(CustomerView::of).toList();
    }

    /** The customer with its orders, fetched by the query: works with open-in-view off too. */
    @GetMapping("/customers/{id}/orders")
    public CustomerOrdersView customerOrders(@PathVariable Long id) {
        return CustomerOrdersView.of(customers.findWithOrders(id).orElseThrow(() -> notFound("customer " + id)));
    }

    /** The customer's lazy orders read here, in the controller: only open-in-view lets that work. */
    @GetMapping("/customers/{id}/orders-lazy")
    public CustomerOrdersView customerOrdersLazily(@PathVariable Long id) {
        return CustomerOrdersView.of(customers.findById(id).orElseThrow(() -> notFound("customer " + id)));
    }

    @GetMapping("/orders")
    public List<OrderView> ordersOf(@RequestParam Long customer) {
        return orders.findByCustomerIdOrderById(customer).stream().map(OrderView::of).toList();
    }

    @GetMapping("/products/{id}")
    public ProductView product(@PathVariable Long id) {
        return ProductView.of(products.findById(id).orElseThrow(() -> notFound("product " + id)));
    }

    @GetMapping("/products")
    public List<ProductView> productsIn(@RequestParam String category) {
        return products.findByCategoryNameOrderById(category).stream().map(ProductView::of).toList();
    }

    @PutMapping("/customers/{id}/name")
    public CustomerView rename(@PathVariable Long id, @RequestBody String name, @RequestParam(defaultValue = "0") long holdMs)
            throws InterruptedException {
        return CustomerView.of(holdMs > 0 ? service.saveNameSlowly(id, name, holdMs) : service.saveName(id, name));
    }

    @PutMapping("/customers/{id}/email")
    public CustomerView changeEmail(@PathVariable Long id, @RequestBody String email) {
        return CustomerView.of(service.saveEmail(id, email));
    }

    @PostMapping("/customers/{id}/orders")
    public ResponseEntity<OrderView> placeOrder(@PathVariable Long id, @RequestParam Long product, @RequestParam int quantity) {
        return ResponseEntity.status(HttpStatus.CREATED).body(OrderView.of(service.saveOrder(id, product, quantity)));
    }

    @DeleteMapping("/orders/{id}")
    public ResponseEntity<Void> deleteOrder(@PathVariable Long id) {
        service.deleteOrder(id);
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/products/{id}/category")
    public ProductView moveProduct(@PathVariable Long id, @RequestBody String category) {
        return ProductView.of(service.saveProductCategory(id, category));
    }

    @PutMapping("/products/{id}/price")
    public ProductView reprice(@PathVariable Long id, @RequestBody String cents, @RequestParam(defaultValue = "0") long holdMs)
            throws InterruptedException {
        long c = Long.parseLong(cents.trim());
        return ProductView.of(holdMs > 0 ? service.slowlyReprice(id, c, holdMs) : service.saveProductPrice(id, c));
    }

    /** Every row of every table, for the tests' comparison of the database at the end. */
    @GetMapping("/rows")
    public Map<String, List<Map<String, Object>>> rows() {
        return new java.util.TreeMap<>(Map.of(
                "category", jdbc.queryForList("select * from category order by id"),
                "product", jdbc.queryForList("select * from product order by id"),
                "customer", jdbc.queryForList("select * from customer order by id"),
                "purchase_order", jdbc.queryForList("select * from purchase_order order by id"),
                "order_line", jdbc.queryForList("select * from order_line order by id")));
    }
}
