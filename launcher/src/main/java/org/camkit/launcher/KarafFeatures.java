package org.camkit.launcher;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Writes camkit's features ({@code features/*.json}) as an Apache Karaf features repository, so that
 * {@code feature:repo-add mvn:org.camkit/camkit-launcher/VERSION/xml/features} and
 * {@code feature:install camkit-pytorch} install camkit in Karaf. The build runs it and attaches the file with
 * classifier {@code features}.
 *
 * <p>Each camkit feature {@code NAME} becomes the Karaf feature {@code camkit-NAME} ({@code camkit} stays
 * {@code camkit}): its {@code includes} become feature dependencies, its bundles {@code mvn:} bundle entries. The
 * Felix infrastructure (feature {@code felix}) maps onto what Karaf has (see {@link #KARAF}). Framework
 * {@code properties} go into the feature's {@code details} (Karaf sets framework properties in
 * {@code etc/config.properties}, not per feature); {@code ready} filters have no Karaf counterpart.
 *
 * @since 0.1
 */
public final class KarafFeatures {
    /** The schema the repository follows (Karaf 4.2 and later). */
    public static final String NAMESPACE = "http://karaf.apache.org/xmlns/features/v1.6.0";

    // Karaf is an OSGi distribution with its own infrastructure, and a Karaf user expects camkit to use it rather than
    // install a second copy: Karaf's 'scr' feature for Declarative Services (with the OSGi component, promise and
    // function bundles it needs), Karaf's 'shell' for commands (its shell runs Gogo commands, exports
    // org.apache.felix.service.command and provides the Gogo runtime capability; a second Gogo console beside it would
    // read the same terminal), and what every Karaf runs in its 'framework' feature (""): Config Admin, Metatype and
    // FileInstall (the same versions camkit uses) and the OSGi Log API (pax-logging, which also serves SLF4J).
    // Everything else (camkit's bundles, Gson, OpenCV, the REST feature's HTTP and JAX-RS whiteboards with their own
    // Jetty) stays a bundle, at the version camkit is built and tested with.
    static final Map<String, String> KARAF = Map.ofEntries(
            Map.entry("org.apache.felix.scr", "scr"),
            Map.entry("org.osgi.service.component", "scr"),
            Map.entry("org.osgi.util.promise", "scr"),
            Map.entry("org.osgi.util.function", "scr"),
            Map.entry("org.apache.felix.gogo.runtime", "shell"),
            Map.entry("org.apache.felix.gogo.command", "shell"),
            Map.entry("org.apache.felix.gogo.jline", "shell"),
            Map.entry("org.jline", "shell"),
            Map.entry("org.apache.felix.configadmin", ""),
            Map.entry("org.apache.felix.metatype", ""),
            Map.entry("org.apache.felix.fileinstall", ""),
            Map.entry("org.osgi.service.log", ""));

    private KarafFeatures() {
    }

    /**
     * Writes the repository.
     *
     * @param args the features directory; a file listing the bundle artifacts, one
     *             {@code group:artifact:type[:classifier]:version:scope:/path/to.jar} a line (what
     *             {@code mvn dependency:list -DoutputAbsoluteArtifactFilename=true} writes); the version of the
     *             features; the file to write
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: KarafFeatures FEATURES_DIR ARTIFACT_LIST VERSION OUT_FILE");
        }
        Path out = Path.of(args[3]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, xml(Path.of(args[0]), artifacts(Path.of(args[1])), args[2]));
    }

    /**
     * @param listing the output of {@code dependency:list} with absolute file names
     * @return the Maven URL ({@code mvn:group/artifact/version[/type/classifier]}) of each listed jar, by its file
     */
    static Map<Path, String> artifacts(Path listing) throws IOException {
        Map<Path, String> urls = new LinkedHashMap<>();
        for (String line : Files.readAllLines(listing)) {
            String entry = line.trim().split("\\s+")[0];
            String[] p = entry.split(":");
            if (p.length == 6 && p[2].equals("jar")) {
                urls.put(Path.of(p[5]), "mvn:" + p[0] + "/" + p[1] + "/" + p[3]);
            } else if (p.length == 7 && p[2].equals("jar")) {
                urls.put(Path.of(p[6]), "mvn:" + p[0] + "/" + p[1] + "/" + p[4] + "/jar/" + p[3]);
            }
        }
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("no jar artifacts listed in " + listing
                    + "; expected lines group:artifact:jar:version:scope:/path (dependency:list "
                    + "-DoutputAbsoluteArtifactFilename=true)");
        }
        return urls;
    }

    /**
     * @param featuresDir camkit's feature files
     * @param artifacts   the Maven URL of each bundle jar, by file ({@link #artifacts(Path)})
     * @param version     the version the Karaf features get
     * @return the features repository
     * @throws IllegalArgumentException if a feature names a bundle that is not among the artifacts
     */
    static String xml(Path featuresDir, Map<Path, String> artifacts, String version) {
        BundleIndex index = new BundleIndex("the launcher's dependencies", List.copyOf(artifacts.keySet()));
        Document doc = newDocument();
        Element root = doc.createElementNS(NAMESPACE, "features");
        root.setAttribute("name", "camkit-" + version);
        doc.appendChild(root);
        root.appendChild(doc.createComment(" generated from camkit's features/*.json by " + KarafFeatures.class.getName()
                + "; camkit's Felix infrastructure is Karaf's own: features scr and shell, and its framework "));
        for (String name : Feature.known(featuresDir)) {
            Feature feature = Feature.read(featuresDir, name);
            Element element = child(root, "feature", null);
            element.setAttribute("name", karafName(name));
            element.setAttribute("version", version);
            element.setAttribute("description", feature.description() == null ? name : feature.description());
            if (!feature.properties().isEmpty()) {
                StringBuilder details = new StringBuilder("Framework properties of camkit's feature '" + name
                        + "' (set them in etc/config.properties):");
                new TreeMap<>(feature.properties()).forEach((k, v) -> details.append("\n").append(k).append('=')
                        .append(v));
                child(element, "details", details.toString());
            }
            Set<String> dependencies = new LinkedHashSet<>();
            List<String> bundles = new ArrayList<>();
            feature.includes().forEach(include -> dependencies.add(karafName(include)));
            for (String bundle : feature.bundles()) {
                String karaf = KARAF.get(bundle);
                if (karaf == null) {
                    bundles.add(url(artifacts, index.find(bundle)));
                } else if (!karaf.isEmpty()) {
                    dependencies.add(karaf);
                }
            }
            for (String dependency : dependencies) {
                Element dep = child(element, "feature", dependency);
                if (dependency.startsWith("camkit")) {
                    dep.setAttribute("version", version);
                }
            }
            bundles.forEach(url -> child(element, "bundle", url));
        }
        return serialise(doc);
    }

    /** @return the Karaf feature name of camkit's feature {@code name} */
    static String karafName(String name) {
        return name.equals("camkit") ? name : "camkit-" + name;
    }

    private static String url(Map<Path, String> artifacts, Path jar) {
        String url = artifacts.get(jar);
        if (url == null) {
            throw new IllegalStateException("no Maven coordinates for " + jar);
        }
        return url;
    }

    private static Element child(Element parent, String name, String text) {
        Element element = parent.getOwnerDocument().createElementNS(NAMESPACE, name);
        if (text != null) {
            element.setTextContent(text);
        }
        parent.appendChild(element);
        return element;
    }

    private static Document newDocument() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String serialise(Document doc) {
        try {
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.INDENT, "yes");
            transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new UncheckedIOException(new IOException("cannot write the features XML: " + e.getMessage(), e));
        }
    }
}
