package org.camkit.target.classifier.internal;

import org.camkit.api.CamException;
import org.camkit.spi.ModelDescriptor;

/** Parses the class argument of a spec such as {@code softmax:<index or label>}; errors name the valid form. */
final class ClassArgument {

    private ClassArgument() {
    }

    /**
     * @param target   the target's name, e.g. {@code softmax}
     * @param argument the spec's argument: a label of the model or an index {@code 0..classes-1}
     * @param model    the model (labels, name)
     * @param classes  the number of outputs
     * @return the class index
     */
    static int parse(String target, String argument, ModelDescriptor model, int classes) {
        String form = target + ":<index or label>";
        String spec = argument.isEmpty() ? target : target + ":" + argument;
        if (argument.isBlank()) {
            throw new CamException("target '" + target + "' needs a class: " + form + " (got '" + spec + "')"
                    + range(model, classes));
        }
        int index = model.labels().indexOf(argument);
        if (index >= 0) {
            return index;
        }
        if (argument.contains(":")) {
            throw new CamException("target '" + spec + "' takes one argument: " + form + " (got '" + argument
                    + "')" + range(model, classes));
        }
        try {
            index = Integer.parseInt(argument.trim());
        } catch (NumberFormatException e) {
            throw new CamException("target '" + spec + "': '" + argument + "' is neither a class index nor a label "
                    + "of model '" + model.name() + "'; use " + form + range(model, classes), e);
        }
        if (index < 0 || index >= classes) {
            throw new CamException("target '" + spec + "': class index " + index + " is out of range; use " + form
                    + range(model, classes));
        }
        return index;
    }

    private static String range(ModelDescriptor model, int classes) {
        return "; model '" + model.name() + "' has " + classes + " classes (0.." + (classes - 1) + ")"
                + (model.labels().isEmpty() ? "" : ", labels " + model.labels());
    }
}
