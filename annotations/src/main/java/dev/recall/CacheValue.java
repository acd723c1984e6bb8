package dev.recall;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the parameter whose value a {@code void} write method stores in the region
 * ({@link Strategy#WRITE_THROUGH}, {@link Strategy#WRITE_BACK}).
 *
 * <pre>{@code
 * @Cached(cache = "prices", key = "{sku}", strategy = Strategy.WRITE_THROUGH)
 * void setPrice(String sku, String currency, @CacheValue BigDecimal price) { ... }
 * }</pre>
 *
 * Not needed when exactly one parameter is left unused by the key template: that one is taken.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface CacheValue {
}
