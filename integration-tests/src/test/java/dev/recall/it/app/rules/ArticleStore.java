package dev.recall.it.app.rules;

import dev.recall.it.app.Counter;
import java.util.Map;

/**
 * The implementation, with the overloads a framework adds to the class (Panache's enhancer writes
 * {@code delete(String, Object...)}, {@code update(String, Map)}, {@code find(String, Object...)} into it), which
 * the interface does not declare: rules on the interface must leave them alone.
 */
public class ArticleStore implements ArticleRepository {

    @Override
    public String findBySlug(String slug) {
        Counter.ran("findBySlug");
        return "article-" + slug;
    }

    public String findBySlug(String slug, int page) {
        Counter.ran("findBySlugPaged");
        return "article-" + slug + "#" + page;
    }

    @Override
    public void delete(String slug) {
        Counter.ran("delete");
    }

    public long delete(String query, Object... params) {
        Counter.ran("deleteQuery");
        return 0;
    }

    public int update(String query, Map<String, Object> params) {
        Counter.ran("updateQuery");
        return 0;
    }
}
