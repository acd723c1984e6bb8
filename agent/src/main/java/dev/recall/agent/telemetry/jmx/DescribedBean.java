package dev.recall.agent.telemetry.jmx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanException;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ReflectionException;

/**
 * An MBean assembled from named attributes and operations, each with the description an operator reads
 * in VisualVM or JConsole. Standard MBean interfaces cannot carry descriptions; this can, in one place
 * per attribute. Attributes are read-only functions of the bean's target, evaluated on every read, so JMX
 * always shows the live figures.
 *
 * <p>The attributes and operations are a {@link Schema}, apart from the bean: a kind of bean with thousands of
 * instances (one per cached method) builds its schema once and each bean is then only its target, where a
 * schema per bean (its infos, getters and maps) was about 5 KB of every called method (issue 28). A bean of
 * which there is one (the agent's) fills a schema of its own in its constructor.
 *
 * <p>Shared by the JMX server's threads: a schema is filled before any bean of it is registered (in a static
 * initializer, or in the constructor of its only bean) and only read after.
 *
 * @param <T> what the attributes are read from
 */
class DescribedBean<T> extends NotificationBroadcasterSupport implements DynamicMBean {

    /** The attributes and operations of a kind of bean, as functions of its target. */
    static final class Schema<T> {
        private final Map<String, Function<? super T, ?>> getters = new HashMap<>();
        private final List<MBeanAttributeInfo> attributes = new ArrayList<>();
        private final Map<String, BiFunction<? super T, Object[], Object>> operations = new HashMap<>();
        private final List<MBeanOperationInfo> operationInfos = new ArrayList<>();
        private final List<MBeanNotificationInfo> notifications = new ArrayList<>();

        Schema<T> attribute(String name, Class<?> type, String description, Function<? super T, ?> getter) {
            getters.put(name, getter);
            attributes.add(new MBeanAttributeInfo(name, type.getName(), description, true, false,
                    type == boolean.class && name.startsWith("Is")));
            return this;
        }

        Schema<T> operation(String name, String description, Class<?> returnType, BiFunction<? super T, Object[], Object> body,
                            MBeanParameterInfo... parameters) {
            operations.put(name, body);
            operationInfos.add(new MBeanOperationInfo(name, description, parameters, returnType.getName(),
                    MBeanOperationInfo.ACTION));
            return this;
        }

        void notification(String[] types, String description) {
            notifications.add(new MBeanNotificationInfo(types, Notification.class.getName(), description));
        }
    }

    private final String className;
    private final String description;
    private final Schema<T> schema;
    private final T target;

    /** A bean of which there is one: its constructor adds its attributes and operations with the methods below. */
    DescribedBean(String className, String description) {
        this(className, description, new Schema<>(), null);
    }

    /** A bean of a shared schema, read from {@code target}. */
    DescribedBean(String className, String description, Schema<T> schema, T target) {
        this.className = className;
        this.description = description;
        this.schema = schema;
        this.target = target;
    }

    /** What the attributes are read from: {@code null} for a bean with a schema of its own. */
    final T target() {
        return target;
    }

    /** The bean's description; a bean of a shared schema may work it out from its target when asked. */
    String description() {
        return description;
    }

    final DescribedBean<T> attribute(String name, Class<?> type, String description, Supplier<?> getter) {
        schema.attribute(name, type, description, t -> getter.get());
        return this;
    }

    final DescribedBean<T> operation(String name, String description, Class<?> returnType, Function<Object[], Object> body,
                                     MBeanParameterInfo... parameters) {
        schema.operation(name, description, returnType, (t, p) -> body.apply(p), parameters);
        return this;
    }

    static MBeanParameterInfo parameter(String name, Class<?> type, String description) {
        return new MBeanParameterInfo(name, type.getName(), description);
    }

    final void notification(String[] types, String description) {
        schema.notification(types, description);
    }

    @Override
    public Object getAttribute(String name) throws AttributeNotFoundException {
        Function<? super T, ?> getter = schema.getters.get(name);
        if (getter == null) {
            throw new AttributeNotFoundException(name);
        }
        return getter.apply(target);
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException(attribute.getName() + " is read-only; use the operations");
    }

    @Override
    public AttributeList getAttributes(String[] names) {
        AttributeList list = new AttributeList();
        for (String name : names) {
            Function<? super T, ?> getter = schema.getters.get(name);
            if (getter != null) {
                list.add(new Attribute(name, getter.apply(target)));
            }
        }
        return list;
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String name, Object[] params, String[] signature) throws MBeanException, ReflectionException {
        BiFunction<? super T, Object[], Object> op = schema.operations.get(name);
        if (op == null) {
            throw new ReflectionException(new NoSuchMethodException(name));
        }
        try {
            return op.apply(target, params == null ? new Object[0] : params);
        } catch (RuntimeException e) {
            throw new MBeanException(e, name + " failed: " + e.getMessage());
        }
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return new MBeanInfo(className, description(), schema.attributes.toArray(new MBeanAttributeInfo[0]), null,
                schema.operationInfos.toArray(new MBeanOperationInfo[0]), getNotificationInfo());
    }

    @Override
    public MBeanNotificationInfo[] getNotificationInfo() {
        return schema.notifications.toArray(new MBeanNotificationInfo[0]);
    }
}
