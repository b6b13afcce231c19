package org.camkit.target.classifier.internal;

import static org.camkit.target.classifier.internal.Outputs.MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetResolver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MalformedSpecTest {

    private static final Map<String, TargetResolver> CLASS_TARGETS = Map.of(
            "class", new ClassTarget(), "softmax", new SoftmaxTarget(), "rest", new RestTarget());

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "cow", "1.5", "3", "-1", "1:2", "dog:extra"})
    void everyClassTargetListsItsValidFormForAMalformedArgument(String argument) {
        CLASS_TARGETS.forEach((name, target) -> {
            CamException e = assertThrows(CamException.class,
                    () -> target.resolve(new TargetRequest(argument, new float[] {0.5f, 2.5f, -1f}, MODEL)),
                    name + ":" + argument);
            assertTrue(e.getMessage().contains(name + ":<index or label>"), e.getMessage());
            assertTrue(e.getMessage().contains("0..2"), e.getMessage());
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2", "-1", "yes", "1:0"})
    void binaryListsItsValidFormForAMalformedArgument(String argument) {
        CamException e = assertThrows(CamException.class,
                () -> new BinaryTarget().resolve(new TargetRequest(argument, new float[] {0.5f}, MODEL)));
        assertTrue(e.getMessage().contains("binary:<0|1>"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void aMissingClassSaysSoWithTheSpecItGot() {
        CamException e = assertThrows(CamException.class,
                () -> new SoftmaxTarget().resolve(new TargetRequest("", new float[] {1, 2}, MODEL)));
        assertTrue(e.getMessage().startsWith(
                "target 'softmax' needs a class: softmax:<index or label> (got 'softmax')"), e.getMessage());
    }
}
