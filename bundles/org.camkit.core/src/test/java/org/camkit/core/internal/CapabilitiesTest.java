package org.camkit.core.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import org.camkit.api.CamException;
import org.camkit.spi.Capability;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {

    private static final Set<Capability> GRADIENTS_ONLY = Set.of(Capability.ACTIVATIONS, Capability.GRADIENTS);

    private static Map<String, Set<Capability>> methods() {
        Map<String, Set<Capability>> methods = new LinkedHashMap<>();
        methods.put("gradcam", GRADIENTS_ONLY);
        methods.put("eigencam", Set.of(Capability.ACTIVATIONS));
        methods.put("ablationcam", Set.of(Capability.ACTIVATIONS, Capability.FORWARD_FROM_LAYER));
        methods.put("cam", Set.of(Capability.ACTIVATIONS, Capability.LINEAR_HEAD));
        return methods;
    }

    @Test
    void aServablePairingPasses() {
        assertDoesNotThrow(() -> Capabilities.check("gradcam", GRADIENTS_ONLY, "tf", GRADIENTS_ONLY, "m",
                methods(), ""));
    }

    @Test
    void anImpossiblePairingNamesMethodBackendModelMissingCapabilityAndTheMethodsThatWork() {
        CamException e = assertThrows(CamException.class, () -> Capabilities.check("ablationcam",
                Set.of(Capability.ACTIVATIONS, Capability.FORWARD_FROM_LAYER), "tf", GRADIENTS_ONLY, "resnet",
                methods(), ""));
        String message = e.getMessage();
        assertTrue(message.contains("'ablationcam'"), message);
        assertTrue(message.contains("backend 'tf'"), message);
        assertTrue(message.contains("model 'resnet'"), message);
        assertTrue(message.contains("needs [FORWARD_FROM_LAYER]"), message);
        assertTrue(message.endsWith("methods that work with this model: eigencam, gradcam"), message);
        assertEquals(CamException.Kind.UNSUPPORTED, e.kind());
        assertEquals("ablationcam", e.culprit());
        assertEquals(List.of("eigencam", "gradcam"), e.choices());
    }

    @Test
    void theModelsHintEndsTheMessage() {
        CamException e = assertThrows(CamException.class, () -> Capabilities.check("gradcam", GRADIENTS_ONLY,
                "pytorch", Set.of(Capability.INPUT_GRADIENTS), "plain", methods(), "export a layer split"));
        assertTrue(e.getMessage().endsWith("methods that work with this model: none. export a layer split"),
                e.getMessage());
    }
}
