package org.camkit.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PageAssetsTest {

    @Test
    void theListNamesEveryFileOfThePageFolderAndNothingElse() throws IOException, URISyntaxException {
        Path folder = Path.of(PageResource.class.getClassLoader().getResource("page/index.html").toURI()).getParent();
        Set<String> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.map(f -> f.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> served = new TreeSet<>(PageResource.ASSETS.keySet());
        served.add("index.html");

        assertEquals(served, files);
        PageResource.ASSETS.forEach((name, asset) -> assertEquals("page/" + name, asset.resource()));
    }

    @Test
    void thePageAsksOnlyForFilesOfTheListAndNothingFromElsewhere() {
        String html = new String(new PageResource.Asset("page/index.html", "text/html").read(),
                StandardCharsets.UTF_8);
        Matcher reference = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(html);
        Set<String> references = new TreeSet<>();
        while (reference.find()) {
            references.add(reference.group(1));
        }

        assertEquals(Set.of("data:,", "openapi.json", "page/app.js", "page/style.css"), references);
        PageResource.ASSETS.values().forEach(asset -> {
            String text = new String(asset.read(), StandardCharsets.UTF_8);
            assertFalse(text.isBlank(), asset.resource());
            assertFalse(text.contains("http://") || text.contains("https://"), asset.resource() + " names no server");
        });
    }

    @Test
    void everyFileIsServedAsTextInUtf8() {
        PageResource.ASSETS.values().forEach(asset ->
                assertTrue(asset.type().startsWith("text/") && asset.type().endsWith(";charset=utf-8"), asset.type()));
    }
}
