package org.camkit.method.eigen.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.File;
import java.io.InputStream;
import java.net.URL;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.camkit.spi.CamMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Element;

/** Reads the Declarative Services descriptors that bnd generated from the annotations. */
class ComponentsTest {

    @ParameterizedTest
    @CsvSource({
        "org.camkit.method.eigen.internal.EigenCam, eigencam",
        "org.camkit.method.eigen.internal.EigenGradCam, eigengradcam",
        "org.camkit.method.eigen.internal.SegEigenCam, segeigencam",
        "org.camkit.method.eigen.internal.KpcaCam, kpcacam"})
    void eachMethodIsACamMethodServiceNamedByItsId(String className, String id) throws Exception {
        Element component = descriptor(className);
        assertEquals(className,
                ((Element) component.getElementsByTagName("implementation").item(0)).getAttribute("class"));
        assertEquals(CamMethod.class.getName(),
                ((Element) component.getElementsByTagName("provide").item(0)).getAttribute("interface"));
        Element property = (Element) component.getElementsByTagName("property").item(0);
        assertEquals("cam.method", property.getAttribute("name"));
        assertEquals(id, property.getAttribute("value"));
    }

    @Test
    void theBundleDeclaresExactlyTheFourEigenMethods() throws Exception {
        URL folder = ComponentsTest.class.getClassLoader().getResource("OSGI-INF");
        assertNotNull(folder, "bnd did not generate OSGI-INF");
        assertEquals(Set.of("org.camkit.method.eigen.internal.EigenCam.xml",
                "org.camkit.method.eigen.internal.EigenGradCam.xml", "org.camkit.method.eigen.internal.SegEigenCam.xml",
                "org.camkit.method.eigen.internal.KpcaCam.xml"),
                Set.of(new File(folder.toURI()).list()));
    }

    private static Element descriptor(String className) throws Exception {
        try (InputStream in = ComponentsTest.class.getClassLoader()
                .getResourceAsStream("OSGI-INF/" + className + ".xml")) {
            assertNotNull(in, "no component descriptor for " + className);
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(in).getDocumentElement();
        }
    }
}
