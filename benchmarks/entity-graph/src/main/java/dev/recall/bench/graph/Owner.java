package dev.recall.bench.graph;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.OneToMany;
import java.util.LinkedHashSet;
import java.util.Set;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/** An owner with pets, each with visits: the graph the benchmark reads (cacheable for the second-level case). */
@Entity
@Table(name = "recall_bench_owner")
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class Owner {
    @Id
    Long id;
    String firstName;
    String lastName;
    String city;

    @OneToMany(mappedBy = "owner")
    @Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
    Set<Pet> pets = new LinkedHashSet<>();

    protected Owner() {
    }

    Owner(long id, String firstName, String lastName, String city) {
        this.id = id;
        this.firstName = firstName;
        this.lastName = lastName;
        this.city = city;
    }

    public Set<Pet> getPets() {
        return pets;
    }

    /** Reads every field of the graph, so that each case hands back the same, fully loaded state. */
    public int weight() {
        int w = firstName.length() + lastName.length() + city.length();
        for (Pet p : pets) {
            w += p.name.length();
            for (Visit v : p.visits) {
                w += v.description.length() + v.date.getDayOfMonth();
            }
        }
        return w;
    }
}
