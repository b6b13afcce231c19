package org.camkit.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

class KarafFeaturesTest {
    // in Karaf's features artifact (org.apache.karaf.features.core), the schema of the namespace the repository uses
    private static final String SCHEMA = "org/apache/karaf/features/karaf-features-1.6.0.xsd";

    @TempDir
    Path dir;

    @Test
    void theBuildsRepositoryIsValidAgainstKarafsFeaturesSchema() throws Exception {
        Path built = Path.of(System.getProperty("karaf.features", "target/karaf/features.xml"));
        String xml = Files.readString(built);

        validate(xml);

        Document doc = parse(xml);
        Element pytorch = feature(doc, "camkit-pytorch");
        assertEquals(List.of("camkit"), children(pytorch, "feature"));
        assertTrue(children(pytorch, "bundle").stream()
                .anyMatch(b -> b.matches("mvn:org\\.camkit/org\\.camkit\\.backend\\.djl/[^/]+")), children(pytorch,
                "bundle").toString());
        assertTrue(children(feature(doc, "camkit"), "bundle").contains("mvn:com.google.code.gson/gson/2.11.0"));
        assertEquals(List.of("scr", "shell"), children(feature(doc, "camkit-felix"), "feature"));
        assertTrue(children(feature(doc, "camkit-rest"), "details").get(0).contains("org.osgi.service.http.port=8080"));
    }

    @Test
    void theKarafFeaturesItDependsOnAreInKarafsStandardRepository() throws Exception {
        Document standard = parse(Files.readString(Path.of(System.getProperty("karaf.standard"))));
        Document built = parse(Files.readString(Path.of(System.getProperty("karaf.features",
                "target/karaf/features.xml"))));
        Set<String> karaf = names(standard);
        Set<String> camkit = names(built);

        Set<String> needed = new TreeSet<>();
        for (Node n = built.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getLocalName().equals("feature")) {
                needed.addAll(children(e, "feature"));
            }
        }
        needed.removeAll(camkit);

        assertEquals(Set.of("scr", "shell"), needed);
        assertTrue(karaf.containsAll(needed), "not in Karaf's standard features: " + needed + "; it has " + karaf);
    }

    @Test
    void includesBecomeFeatureDependenciesAndBundlesMavenUrls() throws Exception {
        Path api = jar("org.camkit.api-1.jar", "org.camkit.api");
        Path natives = jar("natives-linux.jar", "org.example.natives");
        Files.writeString(dir.resolve("base.json"), "{\"bundles\": [\"org.camkit.api\"]}");
        Files.writeString(dir.resolve("top.json"), "{\"description\": \"on top\", \"includes\": [\"base\"], "
                + "\"bundles\": [\"org.example.natives\"]}");

        Document doc = parse(KarafFeatures.xml(dir, Map.of(api, "mvn:org.camkit/org.camkit.api/1",
                natives, "mvn:org.example/natives/2/jar/linux"), "1"));

        Element top = feature(doc, "camkit-top");
        assertEquals("on top", top.getAttribute("description"));
        assertEquals("1", top.getAttribute("version"));
        assertEquals(List.of("camkit-base"), children(top, "feature"));
        assertEquals(List.of("mvn:org.example/natives/2/jar/linux"), children(top, "bundle"));
        assertEquals(List.of("mvn:org.camkit/org.camkit.api/1"), children(feature(doc, "camkit-base"), "bundle"));
    }

    @Test
    void felixInfrastructureBecomesKarafsOwnFeaturesOrNothing() throws Exception {
        Files.writeString(dir.resolve("felix.json"), "{\"bundles\": [\"org.apache.felix.scr\", \"org.osgi.util.promise\","
                + " \"org.apache.felix.configadmin\", \"org.apache.felix.gogo.runtime\", \"org.jline\"]}");

        Element felix = feature(parse(KarafFeatures.xml(dir, Map.of(jar("x.jar", "x"), "mvn:x/x/1"), "1")),
                "camkit-felix");

        assertEquals(List.of("scr", "shell"), children(felix, "feature"));
        assertEquals(List.of(), children(felix, "bundle"));
    }

    @Test
    void aBundleWithoutMavenCoordinatesIsNamed() throws IOException {
        Files.writeString(dir.resolve("f.json"), "{\"bundles\": [\"org.example.missing\"]}");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KarafFeatures.xml(dir, Map.of(jar("x.jar", "x"), "mvn:x/x/1"), "1"));

        assertTrue(e.getMessage().startsWith("no bundle 'org.example.missing' in the launcher's dependencies"),
                e.getMessage());
    }

    @Test
    void readsTheDependencyListingWithAndWithoutClassifier() throws IOException {
        Path listing = dir.resolve("list.txt");
        Files.writeString(listing, """

                The following files have been resolved:
                   com.google.code.gson:gson:jar:2.11.0:compile:/m2/gson-2.11.0.jar -- module com.google.gson
                   org.example:natives:jar:linux:2:provided:/m2/natives-2-linux.jar
                   org.example:parent:pom:1:provided:/m2/parent-1.pom
                """);

        assertEquals(Map.of(Path.of("/m2/gson-2.11.0.jar"), "mvn:com.google.code.gson/gson/2.11.0",
                Path.of("/m2/natives-2-linux.jar"), "mvn:org.example/natives/2/jar/linux"),
                KarafFeatures.artifacts(listing));
    }

    private static void validate(String xml) throws Exception {
        URL schema = KarafFeaturesTest.class.getClassLoader().getResource(SCHEMA);
        assertNotNull(schema, SCHEMA + " is not on the test class path (org.apache.karaf.features.core)");
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(schema).newValidator()
                .validate(new StreamSource(new StringReader(xml)));
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    private static Set<String> names(Document doc) {
        Set<String> names = new TreeSet<>();
        for (Node n = doc.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getLocalName().equals("feature")) {
                names.add(e.getAttribute("name"));
            }
        }
        return names;
    }

    private static Element feature(Document doc, String name) {
        for (Node n = doc.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getLocalName().equals("feature") && e.getAttribute("name").equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no feature " + name);
    }

    // the text of the element's children of that name, in order
    private static List<String> children(Element parent, String name) {
        List<String> texts = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getLocalName().equals(name)) {
                texts.add(e.getTextContent().trim());
            }
        }
        return texts;
    }

    private Path jar(String name, String symbolicName) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.closeEntry();
        }
        return file;
    }
}
