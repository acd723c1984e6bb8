package dev.recall.it.app.secrets;

import dev.recall.CacheEvict;
import dev.recall.Cached;
import dev.recall.it.app.Counter;
import dev.recall.it.app.Jmx;
import dev.recall.it.app.LineProtocol;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A customer service whose records carry personal data (a name, an e-mail address, a card number), cached in
 * Redis, driven line by line on stdin. Its answers never print a record, only whether it is the right one, so
 * that the only copies of the data outside the "database" are the ones the agent makes:
 *
 * <pre>
 * customer ID          calls customer(ID): calls=(real executions so far) ok=(equals the database's record)
 * forget ID            the @CacheEvict method of customer(ID)
 * cardOnFile ID        the sensitive: true method: calls=(real executions so far)
 * attr BEAN ATTRIBUTE  a JMX attribute of the agent's MBeans: BEAN is 'agent' or a method like 'customer(long)'
 * mbeans               every attribute of every dev.recall MBean, base64 of UTF-8 text in value=
 * exit
 * </pre>
 */
public class CustomerApp {

    /** The personal data of the test, by id: name, e-mail, card number. */
    public static final String[][] PEOPLE = {
        {"Ada Lovelace", "ada.lovelace@analytical.example", "4111111111111111"},
        {"Grace Hopper", "grace.hopper@cobol.example", "5500005555555559"},
        {"Alan Turing", "alan.turing@bombe.example", "378282246310005"},
        {"Insecure Control", "control.person@plaintext.example", "6011000990139424"},
    };

    public record Customer(long id, String name, String email, String cardNumber) {
    }

    static Customer read(long id) {
        String[] p = PEOPLE[(int) id - 1];
        return new Customer(id, p[0], p[1], p[2]);
    }

    @Cached(cache = "customers", key = "{0}")
    public Customer customer(long id) {
        Counter.ran("customer");
        return read(id);
    }

    @CacheEvict(cache = "customers", key = "{0}")
    public void forget(long id) {
    }

    @Cached(cache = "cards-on-file", key = "{0}", sensitive = true)
    public String cardOnFile(long id) {
        Counter.ran("cardOnFile");
        return read(id).cardNumber();
    }

    public static void main(String[] args) throws Exception {
        CustomerApp app = new CustomerApp();
        LineProtocol.serve(app::command);
    }

    void command(String[] cmd, StringBuilder out) throws Exception {
        switch (cmd[0]) {
            case "customer" -> {
                long id = Long.parseLong(cmd[1]);
                Customer c = customer(id);
                out.append(" calls=").append(Counter.count("customer")).append(" ok=").append(read(id).equals(c));
            }
            case "forget" -> forget(Long.parseLong(cmd[1]));
            case "cardOnFile" -> {
                long id = Long.parseLong(cmd[1]);
                String card = cardOnFile(id);
                out.append(" calls=").append(Counter.count("cardOnFile")).append(" ok=").append(read(id).cardNumber().equals(card));
            }
            case "attr" -> out.append(" value=").append(Jmx.attribute(CustomerApp.class, cmd[1], cmd[2]));
            case "mbeans" -> out.append(" value=").append(Base64.getEncoder().encodeToString(
                    Jmx.allAttributes().getBytes(StandardCharsets.UTF_8)));
            default -> throw new IllegalArgumentException("unknown command " + cmd[0]);
        }
    }
}
