package org.camkit.backend.djl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.camkit.api.CamException;
import org.junit.jupiter.api.Test;

class ExportedLayersTest {

    private static final Path FILE = Path.of("/models/net.pt");
    private static final List<String> METHODS = List.of("forward", "features", "head", "features_layer2",
            "head_layer2", "head_layer1", "features_layer1");

    @Test
    void layersAreTheFeaturesHeadPairsInTheFilesOrder() {
        assertEquals(List.of("layer2", "layer1"), ExportedLayers.of("m", FILE, METHODS, null));
    }

    @Test
    void theDescriptorPropertyGivesTheOrderAndUnlistedLayersFollow() {
        assertEquals(List.of("layer1", "layer2"), ExportedLayers.of("m", FILE, METHODS, " layer1 , layer2"));
        assertEquals(List.of("layer1", "layer2"), ExportedLayers.of("m", FILE, METHODS, "layer1"));
    }

    @Test
    void thePlainFeaturesAndHeadAliasIsNoLayer() {
        assertEquals(List.of(), ExportedLayers.of("m", FILE, List.of("forward", "features", "head"), null));
    }

    @Test
    void aFeaturesMethodWithoutItsHeadIsRefused() {
        CamException e = assertThrows(CamException.class,
                () -> ExportedLayers.of("m", FILE, List.of("forward", "features_layer1", "head_layer2"), null));
        assertTrue(e.getMessage().contains("[layer1, layer2]") && e.getMessage().contains(FILE.toString()),
                e.getMessage());
    }

    @Test
    void aListedLayerTheFileDoesNotExportIsRefusedWithTheExportedOnes() {
        CamException e = assertThrows(CamException.class,
                () -> ExportedLayers.of("m", FILE, METHODS, "layer1,layer4"));
        assertTrue(e.getMessage().contains("'layer4'") && e.getMessage().contains("[layer2, layer1]"),
                e.getMessage());
    }
}
