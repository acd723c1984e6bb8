package dev.recall.it.app.rules;

/** A repository interface as an application declares it. */
public interface ArticleRepository {
    String findBySlug(String slug);

    void delete(String slug);
}
