package dev.recall.it.app.tenant;

import java.io.Serializable;

/** A tenant's own result type: each tenant's loader defines it anew. */
public record Quote(String sku, String tenant) implements Serializable {
}
