package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.camkit.launcher.CamkitRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * camkit's configurations are described to Config Admin consoles: the running Metatype service returns the object class
 * definitions of the model factory configuration ({@code org.camkit.model}, with the descriptor's keys) and of the
 * REST API's ({@code org.camkit.rest}, its limits and access). The Metatype API is not exported
 * to the tests (the system bundle exports only camkit's API), so the service is called through the classes of the
 * bundle that registers it.
 */
@ExtendWith(FelixRuntime.class)
class MetatypeIT {
    private static final String PID = "org.camkit.model";

    @Test
    void metatypeServiceDescribesTheModelFactoryConfigurationWithTheDescriptorsKeys(CamkitRuntime runtime)
            throws Exception {
        metatypeOf(runtime, "org.camkit.core", (metatype, information) -> {
            assertTrue(List.of((String[]) call(metatype, "MetaTypeInformation", information, "getFactoryPids"))
                    .contains(PID), "org.camkit.core designates no factory configuration " + PID);
            assertFalse(List.of((String[]) call(metatype, "MetaTypeInformation", information, "getPids")).contains(PID),
                    PID + " is designated as a singleton configuration, not a factory");
            Object ocd = call(metatype, "MetaTypeInformation", information, "getObjectClassDefinition", PID, null);
            assertEquals("camkit model", call(metatype, "ObjectClassDefinition", ocd, "getName"));

            Map<String, Integer> all = attributes(metatype, ocd, "ALL");
            Map<String, Integer> required = attributes(metatype, ocd, "REQUIRED");

            assertEquals(Set.of("backend", "file", "inputWidth", "inputHeight", "mean", "std"), required.keySet());
            assertEquals(Set.of("name", "backend", "file", "architecture", "inputWidth", "inputHeight", "mean", "std",
                    "labels", "defaultLayer", "channelOrder", "tokens", "task", "detection.layout",
                    "detection.scoreThreshold", "detection.nmsIou"), all.keySet());
            int integer = metatype.loadClass("org.osgi.service.metatype.AttributeDefinition").getField("INTEGER")
                    .getInt(null);
            assertEquals(integer, all.get("inputWidth"));
        });
    }

    @Test
    void metatypeServiceDescribesTheRestConfigurationWithItsLimitsAndAPasswordToken(CamkitRuntime runtime)
            throws Exception {
        metatypeOf(runtime, "org.camkit.rest", (metatype, information) -> {
            assertTrue(List.of((String[]) call(metatype, "MetaTypeInformation", information, "getPids"))
                    .contains("org.camkit.rest"), "org.camkit.rest designates no configuration org.camkit.rest");
            Object ocd = call(metatype, "MetaTypeInformation", information, "getObjectClassDefinition",
                    "org.camkit.rest", null);
            assertEquals("camkit REST API", call(metatype, "ObjectClassDefinition", ocd, "getName"));
            Map<String, Integer> all = attributes(metatype, ocd, "ALL");
            assertEquals(Set.of("bind", "port", "maxConcurrent", "queueLength", "maxUploadBytes", "maxImagePixels",
                    "maxImages", "timeoutSeconds", "token"), all.keySet());
            Class<?> ad = metatype.loadClass("org.osgi.service.metatype.AttributeDefinition");
            assertEquals(ad.getField("PASSWORD").getInt(null), all.get("token"), "a console masks the token");
            assertEquals(ad.getField("LONG").getInt(null), all.get("maxUploadBytes"));
        });
    }

    interface MetatypeCheck {
        void check(Bundle metatype, Object information) throws Exception;
    }

    // Runs a check on the MetaTypeInformation of a bundle, from the running MetaTypeService.
    private static void metatypeOf(CamkitRuntime runtime, String bundle, MetatypeCheck check) throws Exception {
        ServiceReference<?>[] references = runtime.context()
                .getAllServiceReferences("org.osgi.service.metatype.MetaTypeService", null);
        assertNotNull(references, "no MetaTypeService in the runtime (bundle org.apache.felix.metatype)");
        Bundle metatype = references[0].getBundle();
        Bundle described = Stream.of(runtime.context().getBundles()).filter(b -> b.getSymbolicName().equals(bundle))
                .findFirst().orElseThrow();
        Object service = runtime.context().getService(references[0]);
        try {
            check.check(metatype, call(metatype, "MetaTypeService", service, "getMetaTypeInformation", described));
        } finally {
            runtime.context().ungetService(references[0]);
        }
    }

    // id -> type of the definition's attributes of one filter (ObjectClassDefinition.ALL, REQUIRED, OPTIONAL)
    private static Map<String, Integer> attributes(Bundle metatype, Object ocd, String filter) throws Exception {
        int which = metatype.loadClass("org.osgi.service.metatype.ObjectClassDefinition").getField(filter).getInt(null);
        Map<String, Integer> attributes = new LinkedHashMap<>();
        for (Object ad : (Object[]) call(metatype, "ObjectClassDefinition", ocd, "getAttributeDefinitions", which)) {
            attributes.put((String) call(metatype, "AttributeDefinition", ad, "getID"),
                    (Integer) call(metatype, "AttributeDefinition", ad, "getType"));
        }
        return attributes;
    }

    // Calls a method of a Metatype API interface, loaded from the bundle that exports it.
    private static Object call(Bundle metatype, String type, Object target, String name, Object... args)
            throws Exception {
        Class<?> api = metatype.loadClass("org.osgi.service.metatype." + type);
        for (Method method : api.getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == args.length) {
                return method.invoke(target, args);
            }
        }
        throw new NoSuchMethodException(type + "." + name);
    }
}
