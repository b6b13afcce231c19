package org.camkit.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import org.camkit.api.CamException;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;

class PluginRegistryTest {

    @Test
    void anUnknownNameIsUnknownWithTheRegisteredNamesAsChoices() {
        PluginRegistry<Object> methods = new PluginRegistry<>("method", "cam.method");
        Object gradcam = new Object();
        methods.add(gradcam, reference("gradcam"));

        assertSame(gradcam, methods.get("gradcam").service());
        CamException e = assertThrows(CamException.class, () -> methods.get("nope"));
        assertEquals(CamException.Kind.UNKNOWN, e.kind());
        assertEquals("nope", e.culprit());
        assertEquals(List.of("gradcam"), e.choices());
    }

    @Test
    void aNameWhoseServiceJustWentAwayIsUnavailableNotUnknown() {
        PluginRegistry<Object> methods = new PluginRegistry<>("method", "cam.method");
        Object gradcam = new Object();
        methods.add(gradcam, reference("gradcam"));
        methods.add(new Object(), reference("eigencam"));
        methods.remove(gradcam);

        CamException e = assertThrows(CamException.class, () -> methods.get("gradcam"));
        assertEquals(CamException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().startsWith("method 'gradcam' went away"), e.getMessage());
        assertEquals(List.of("eigencam"), e.choices());

        Object back = new Object();
        methods.add(back, reference("gradcam"));
        assertSame(back, methods.get("gradcam").service(), "served again once its bundle is back");
    }

    private static ServiceReference<?> reference(String name) {
        return (ServiceReference<?>) Proxy.newProxyInstance(ServiceReference.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> "cam.method".equals(args[0]) ? name : null;
                    case "compareTo" -> 0;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }
}
