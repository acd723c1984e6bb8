package dev.recall.sample.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.sample.http.CatalogueHttpServer.ProductUpdate;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The body of {@code PUT /products/{id}} as the service reads it; what it cannot read is a 400 that says why. */
class ProductUpdateTest {

    @Test
    void aPriceKeepsItsDecimalsAndLeftOutFieldsStayUnchanged() {
        ProductUpdate u = CatalogueHttpServer.update("{\"price\": 77.70, \"category\": \"books\"}");
        assertEquals(new BigDecimal("77.70"), u.price(), "as written, not 77.7 through a double");
        assertEquals("books", u.category());
        assertNull(u.name());
        assertEquals(new BigDecimal("12.5"), CatalogueHttpServer.update("{\"price\": \"12.5\"}").price());
        assertEquals("Tent \"X\" ü\t", CatalogueHttpServer.update("{\"name\": \"Tent \\\"X\\\" \\u00fc\\t\"}").name());
    }

    @Test
    void whatIsNotAnUpdateSaysWhy() {
        assertEquals("unknown field 'nme'; a product update takes name, category and price", message("{\"nme\": \"x\"}"));
        assertTrue(message("{\"price\": \"abc\"}").startsWith("bad 'price' in the product update: "), message("{\"price\": \"abc\"}"));
        assertTrue(message("{bad").contains("this is not JSON"), message("{bad"));
        for (String notAnObject : new String[] {"", "null", "[1]", "12"}) {
            assertTrue(message(notAnObject).startsWith("a product update is a JSON object"), notAnObject + ": " + message(notAnObject));
        }
    }

    private static String message(String body) {
        return assertThrows(IllegalArgumentException.class, () -> CatalogueHttpServer.update(body)).getMessage();
    }
}
