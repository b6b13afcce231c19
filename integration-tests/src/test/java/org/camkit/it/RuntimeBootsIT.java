package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.camkit.launcher.CamkitRuntime;
import org.camkit.launcher.CommandResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;

@ExtendWith(FelixRuntime.class)
class RuntimeBootsIT {

    @Test
    void startsEveryBundleOfTheCamkitPytorchFeature(CamkitRuntime runtime) {
        Set<String> names = runtime.bundles().stream().map(Bundle::getSymbolicName).collect(Collectors.toSet());
        assertTrue(names.containsAll(List.of("org.apache.felix.scr", "org.apache.felix.fileinstall",
                "org.camkit.api", "org.camkit.core", "org.camkit.method.gradcam", "org.camkit.target.classifier",
                "org.camkit.visual.opencv", "org.camkit.backend.djl", "org.camkit.shell", "org.camkit.bench")),
                names::toString);
        List<String> notActive = runtime.bundles().stream().filter(b -> b.getState() != Bundle.ACTIVE)
                .map(b -> b.getSymbolicName() + " state " + b.getState()).toList();
        assertEquals(List.of(), notActive);
    }

    @Test
    void camMethodsListsGradcam(CamkitRuntime runtime) {
        CommandResult result = runtime.execute("cam:methods");

        assertNull(result.exception(), () -> "cam:methods failed: " + result.exception());
        assertTrue(result.text().contains("gradcam"), result.text());
    }

    @Test
    void unknownCommandComesBackAsAFailedResult(CamkitRuntime runtime) {
        CommandResult result = runtime.execute("cam:no-such-command");

        assertFalse(result.succeeded());
        assertInstanceOf(IllegalArgumentException.class, result.exception());
        assertTrue(result.exception().getMessage().contains("cam:no-such-command"), result.exception()::getMessage);
    }
}
