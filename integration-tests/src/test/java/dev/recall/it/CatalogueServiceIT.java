package dev.recall.it;

import java.util.List;

/** The sample service on its default database, an in-memory H2 of each process's own. */
class CatalogueServiceIT extends CatalogueServiceChecks {

    @Override
    protected List<String> databaseArgs(boolean cached) {
        return List.of();
    }
}
