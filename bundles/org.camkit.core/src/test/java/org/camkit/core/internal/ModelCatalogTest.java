package org.camkit.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.camkit.api.CamException;
import org.camkit.spi.ModelBackend;
import org.camkit.spi.ModelDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCatalogTest {

    @TempDir
    Path dir;

    private Path write(String name, int size) throws Exception {
        Path json = dir.resolve("m.json");
        Files.writeString(json, "{\"name\": \"" + name + "\", \"backend\": \"pytorch\", \"file\": \"m.params\","
                + " \"architecture\": \"a\", \"inputWidth\": " + size + ", \"inputHeight\": " + size + ","
                + " \"mean\": [0,0,0], \"std\": [1,1,1], \"labels\": [\"x\"], \"defaultLayer\": \"l\"}");
        return json;
    }

    @Test
    void aDescriptorIsParsedOnceUntilItsFileChanges() throws Exception {
        Path json = write("first", 32);
        ModelCatalog catalog = new ModelCatalog(dir, Limits.DEFAULTS);
        ModelDescriptor first = catalog.fromFile(json).descriptor();
        assertSame(first, catalog.fromFile(json).descriptor(), "parsed again although the file did not change");
        assertSame(first, catalog.registered().get(0).descriptor());

        write("second", 64);
        Files.setLastModifiedTime(json, FileTime.fromMillis(Files.getLastModifiedTime(json).toMillis() + 5000));
        ModelDescriptor second = catalog.fromFile(json).descriptor();
        assertEquals("second", second.name());
        assertEquals(64, second.inputWidth());
    }

    @Test
    void aModelThatDoesNotLoadIsNamedWithTheFileThatDescribesIt() throws Exception {
        Path json = write("m", 32);
        ModelCatalog catalog = new ModelCatalog(dir, Limits.DEFAULTS);
        ModelCatalog.Registered model = catalog.find(json.toString());
        CamException named = assertThrows(CamException.class, () -> catalog.load(model, d -> {
            throw new CamException("model 'm': unknown architecture 'a'");
        }));
        assertEquals("model 'm' (" + json + "): unknown architecture 'a'", named.getMessage());
        CamException prefixed = assertThrows(CamException.class, () -> catalog.load(model, d -> {
            throw new CamException("file 'm.params' does not exist");
        }));
        assertEquals("model 'm' (" + json + "): file 'm.params' does not exist", prefixed.getMessage());
    }

    @Test
    void aModelLargerThanTheLimitsIsRefusedBeforeItsBackendLoadsIt() throws Exception {
        Path json = write("huge", 8000);
        ModelCatalog catalog = new ModelCatalog(dir, Limits.DEFAULTS);
        List<ModelDescriptor> asked = new ArrayList<>();
        ModelBackend backend = descriptor -> {
            asked.add(descriptor);
            throw new AssertionError("loaded");
        };
        CamException e = assertThrows(CamException.class, () -> catalog.load(catalog.find(json.toString()), backend));
        assertTrue(e.getMessage().startsWith("model 'huge' (" + json + ") takes 8000x8000 images"), e.getMessage());
        assertTrue(asked.isEmpty());
    }

    @Test
    void aDescriptorPathThatDoesNotExistIsSaidSoWithWhereCamkitLooked() throws Exception {
        write("demo-clean", 32);
        ModelCatalog catalog = new ModelCatalog(dir, Limits.DEFAULTS);
        CamException e = assertThrows(CamException.class, () -> catalog.find("models/demo-clean.json"));
        assertTrue(e.getMessage().startsWith("model descriptor 'models/demo-clean.json' does not exist: looked for "
                + Path.of("models/demo-clean.json").toAbsolutePath() + " (relative to the working directory "),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("registered model: [demo-clean]"), e.getMessage());
        CamException name = assertThrows(CamException.class, () -> catalog.find("no-such-model"));
        assertTrue(name.getMessage().startsWith("unknown model 'no-such-model'"), name.getMessage());
        CamException nul = assertThrows(CamException.class, () -> catalog.find("a\0b/c.json"));
        assertTrue(nul.getMessage().startsWith("unknown model"), nul.getMessage());
    }

    @Test
    void aNameGivenTwiceMeansTheDescriptorInTheModelsFolderThenTheCfgs() throws Exception {
        Path json = write("twice", 32);
        ModelCatalog catalog = new ModelCatalog(dir, Limits.DEFAULTS);
        ModelDescriptor other = catalog.fromFile(json).descriptor();
        ModelCatalog.Registered cfg = new ModelCatalog.Registered(dir.resolve("org.camkit.model-twice.cfg"),
                new ModelDescriptor("twice", "pytorch", dir.resolve("other.pt"), "a", 16, 16, other.mean(),
                        other.std(), List.of("x"), "l", java.util.Map.of(), "RGB", null), 1);
        catalog.register("key", cfg);
        assertEquals(List.of(json, cfg.file()), catalog.registered().stream().map(ModelCatalog.Registered::file)
                .toList());
        assertEquals(json, catalog.find("twice").file());
        Files.delete(json);
        assertEquals(cfg.file(), catalog.find("twice").file(), "the .cfg's model once the file is gone");
    }

    @Test
    void anInvalidCfgSaysWhyItsModelIsMissingUntilItIsFixedOrRemoved() throws Exception {
        ModelCatalog catalog = new ModelCatalog(dir, Limits.DEFAULTS);
        Path cfg = dir.resolve("org.camkit.model-broken.cfg");
        catalog.register("key", new ModelCatalog.Broken("broken", cfg,
                new CamException("model configuration " + cfg + " lacks \"backend\"")));
        CamException e = assertThrows(CamException.class, () -> catalog.find("broken"));
        assertEquals("model 'broken' is not registered: model configuration " + cfg + " lacks \"backend\"",
                e.getMessage());
        assertTrue(catalog.registered().isEmpty());
        catalog.unregister("key");
        assertTrue(assertThrows(CamException.class, () -> catalog.find("broken")).getMessage()
                .startsWith("unknown model 'broken'"));
    }
}
