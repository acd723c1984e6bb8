package com.acme.shop;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface CustomerRepository extends JpaRepository<Customer, Long> {

    Optional<Customer> findByEmail(String email);

    List<Customer> findByNameStartingWithOrderById(String prefix);

    /** The customer with its orders (each order's lines and products are eager). */
    @Query("select distinct c from Customer c left join fetch c.orders where c.id = :id")
    Optional<Customer> findWithOrders(@Param("id") Long id);
}
