package org.camkit.target.classifier.internal;

import java.util.Arrays;
import org.camkit.api.CamException;
import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetResolver;
import org.camkit.spi.TargetScore;
import org.camkit.spi.propertytypes.CamTarget;
import org.osgi.service.component.annotations.Component;

/**
 * {@code binary:<0|1>}: for a binary classifier with one output logit, like pytorch-grad-cam's
 * {@code BinaryClassifierOutputTarget}: the logit for class 1, its negation for class 0; the seed is that sign.
 * The score's class index is the class explained (0 or 1), so labels {@code [negative, positive]} name it.
 */
@Component
@CamTarget("binary")
public final class BinaryTarget implements TargetResolver {

    private static final String FORM = "binary:<0|1> (1 explains the positive class, 0 the negative one)";

    @Override
    public TargetScore resolve(TargetRequest request) {
        String argument = request.argument().trim();
        String spec = request.argument().isEmpty() ? "binary" : "binary:" + request.argument();
        if (argument.isEmpty()) {
            throw new CamException("target 'binary' needs a class: " + FORM + " (got '" + spec + "')");
        }
        if (!argument.equals("0") && !argument.equals("1")) {
            throw new CamException("target '" + spec + "': the class must be 0 or 1: " + FORM);
        }
        float[] output = request.output();
        if (output.length != 1) {
            throw new CamException("target '" + spec + "' needs a binary classifier with exactly one output value; "
                    + "model '" + request.model().name() + "' gives output shape " + Arrays.toString(request.shape())
                    + "; for a multi-class output use class:<index or label> or softmax:<index or label>");
        }
        int category = argument.equals("1") ? 1 : 0;
        float sign = category == 1 ? 1 : -1;
        return new TargetScore("binary " + ClassScores.describe(category, request.model()), category,
                sign * output[0], new float[] {sign});
    }

    @Override
    public String description() {
        return "binary:<0|1>: the single logit of a binary classifier, negated for class 0, as "
                + "pytorch-grad-cam's BinaryClassifierOutputTarget";
    }
}
