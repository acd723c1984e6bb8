package dev.recall.bench.graph;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.ManyToOne;
import java.time.LocalDate;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

@Entity
@Table(name = "recall_bench_visit")
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class Visit {
    @Id
    Long id;
    LocalDate date;
    String description;

    @ManyToOne(fetch = FetchType.LAZY)
    Pet pet;

    protected Visit() {
    }

    Visit(long id, LocalDate date, String description, Pet pet) {
        this.id = id;
        this.date = date;
        this.description = description;
        this.pet = pet;
    }
}
