package org.camkit.method.gradcam.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.File;
import java.io.InputStream;
import java.net.URL;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Capability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Reads the Declarative Services descriptors that bnd generated from the annotations. */
class ComponentsTest {

    private static final Set<Capability> GRADIENT_BASED = Set.of(Capability.ACTIVATIONS, Capability.GRADIENTS);

    static Stream<Arguments> methods() {
        return Stream.of(
                arguments(new GradCam(), "gradcam", GRADIENT_BASED, Set.of()),
                arguments(new HiResCam(), "hirescam", GRADIENT_BASED, Set.of()),
                arguments(new GradCamElementWise(), "gradcamelementwise", GRADIENT_BASED, Set.of()),
                arguments(new GradCamPlusPlus(), "gradcam++", GRADIENT_BASED, Set.of()),
                arguments(new XGradCam(), "xgradcam", GRADIENT_BASED, Set.of()),
                arguments(new LayerCam(), "layercam", GRADIENT_BASED, Set.of()),
                arguments(new Cam(), "cam", Set.of(Capability.ACTIVATIONS, Capability.LINEAR_HEAD), Set.of()),
                arguments(new RandomCam(), "randomcam", Set.of(Capability.ACTIVATIONS), Set.of("seed")),
                arguments(new Fem(), "fem", Set.of(Capability.ACTIVATIONS), Set.of("k")),
                arguments(new FinerCam(), "finercam", GRADIENT_BASED, Set.of()),
                arguments(new RefineCam(), "refinecam", GRADIENT_BASED, Set.of()),
                arguments(new ShapleyCam(), "shapleycam", Set.of(Capability.ACTIVATIONS, Capability.GRADIENTS,
                        Capability.BACKWARD_FROM_LAYER), Set.of("step")),
                arguments(new SmoothGradCamPlusPlus(), "smoothgradcam++", GRADIENT_BASED,
                        Set.of("samples", "std", "seed")));
    }

    @ParameterizedTest
    @MethodSource("methods")
    void eachMethodIsACamMethodServiceNamedByItsId(CamMethod method, String id, Set<Capability> requires,
            Set<String> options) throws Exception {
        Element component = descriptor(method.getClass().getName());
        assertEquals(method.getClass().getName(),
                ((Element) component.getElementsByTagName("implementation").item(0)).getAttribute("class"));
        assertEquals(CamMethod.class.getName(),
                ((Element) component.getElementsByTagName("provide").item(0)).getAttribute("interface"));
        Element property = (Element) component.getElementsByTagName("property").item(0);
        assertEquals("cam.method", property.getAttribute("name"));
        assertEquals(id, property.getAttribute("value"));
        assertEquals(requires, method.requires());
        assertEquals(options, method.options().keySet());
    }

    @Test
    void theBundleDeclaresExactlyTheseMethods() throws Exception {
        URL folder = ComponentsTest.class.getClassLoader().getResource("OSGI-INF");
        assertNotNull(folder, "bnd did not generate OSGI-INF");
        Set<String> declared = Arrays.stream(new File(folder.toURI()).list())
                .map(name -> name.replaceFirst("\\.xml$", "")).collect(Collectors.toCollection(TreeSet::new));
        Set<String> tested = methods().map(a -> a.get()[0].getClass().getName())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(tested, declared);
    }

    private static Element descriptor(String className) throws Exception {
        try (InputStream in = ComponentsTest.class.getClassLoader()
                .getResourceAsStream("OSGI-INF/" + className + ".xml")) {
            assertNotNull(in, "no component descriptor for " + className);
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            Document document = factory.newDocumentBuilder().parse(in);
            return document.getDocumentElement();
        }
    }
}
