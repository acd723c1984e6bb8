package dev.recall.agent.telemetry.jmx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import javax.management.NotificationBroadcasterSupport;
import javax.management.ReflectionException;

/**
 * An MBean assembled from named attributes and operations, each with the description an operator reads
 * in VisualVM or JConsole. Standard MBean interfaces cannot carry descriptions; this can, in one place
 * per attribute. Attributes are read-only suppliers, evaluated on every read, so JMX always shows the
 * live figures. Shared by the JMX server's threads: its maps are filled before registration and only read
 * after.
 */
class DescribedBean extends NotificationBroadcasterSupport implements DynamicMBean {

    private final String className;
    private final String description;
    private final Map<String, Supplier<?>> getters = new LinkedHashMap<>();
    private final List<MBeanAttributeInfo> attributes = new ArrayList<>();
    private final Map<String, Function<Object[], Object>> operations = new LinkedHashMap<>();
    private final List<MBeanOperationInfo> operationInfos = new ArrayList<>();
    private final List<MBeanNotificationInfo> notifications = new ArrayList<>();

    DescribedBean(String className, String description) {
        this.className = className;
        this.description = description;
    }

    final DescribedBean attribute(String name, Class<?> type, String description, Supplier<?> getter) {
        getters.put(name, getter);
        attributes.add(new MBeanAttributeInfo(name, type.getName(), description, true, false,
                type == boolean.class && name.startsWith("Is")));
        return this;
    }

    final DescribedBean operation(String name, String description, Class<?> returnType, Function<Object[], Object> body,
                                  MBeanParameterInfo... parameters) {
        operations.put(name, body);
        operationInfos.add(new MBeanOperationInfo(name, description, parameters, returnType.getName(),
                MBeanOperationInfo.ACTION));
        return this;
    }

    static MBeanParameterInfo parameter(String name, Class<?> type, String description) {
        return new MBeanParameterInfo(name, type.getName(), description);
    }

    final void notification(String[] types, String description) {
        notifications.add(new MBeanNotificationInfo(types, javax.management.Notification.class.getName(), description));
    }

    @Override
    public Object getAttribute(String name) throws AttributeNotFoundException {
        Supplier<?> getter = getters.get(name);
        if (getter == null) {
            throw new AttributeNotFoundException(name);
        }
        return getter.get();
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException(attribute.getName() + " is read-only; use the operations");
    }

    @Override
    public AttributeList getAttributes(String[] names) {
        AttributeList list = new AttributeList();
        for (String name : names) {
            Supplier<?> getter = getters.get(name);
            if (getter != null) {
                list.add(new Attribute(name, getter.get()));
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
        Function<Object[], Object> op = operations.get(name);
        if (op == null) {
            throw new ReflectionException(new NoSuchMethodException(name));
        }
        try {
            return op.apply(params == null ? new Object[0] : params);
        } catch (RuntimeException e) {
            throw new MBeanException(e, name + " failed: " + e.getMessage());
        }
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return new MBeanInfo(className, description, attributes.toArray(new MBeanAttributeInfo[0]), null,
                operationInfos.toArray(new MBeanOperationInfo[0]), notifications.toArray(new MBeanNotificationInfo[0]));
    }

    @Override
    public MBeanNotificationInfo[] getNotificationInfo() {
        return notifications.toArray(new MBeanNotificationInfo[0]);
    }
}
