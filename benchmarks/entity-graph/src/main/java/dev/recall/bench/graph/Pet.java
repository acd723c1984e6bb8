package dev.recall.bench.graph;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

@Entity
@Table(name = "recall_bench_pet")
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class Pet {
    @Id
    Long id;
    String name;
    LocalDate birthDate;

    @ManyToOne(fetch = FetchType.LAZY)
    Owner owner;

    @OneToMany(mappedBy = "pet")
    @OrderBy("date")
    @Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
    List<Visit> visits = new ArrayList<>();

    protected Pet() {
    }

    Pet(long id, String name, LocalDate birthDate, Owner owner) {
        this.id = id;
        this.name = name;
        this.birthDate = birthDate;
        this.owner = owner;
    }

    public List<Visit> getVisits() {
        return visits;
    }
}
