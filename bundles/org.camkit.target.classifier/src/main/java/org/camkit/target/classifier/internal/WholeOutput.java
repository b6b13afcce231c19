package org.camkit.target.classifier.internal;

import org.camkit.api.CamException;
import org.camkit.spi.TargetRequest;

/** Shared by the targets of the whole output vector: they take no class argument. */
final class WholeOutput {

    private WholeOutput() {
    }

    /** @throws CamException if the spec has an argument, naming the spec and the target's one form */
    static void noArgument(String target, TargetRequest request) {
        if (!request.argument().isBlank()) {
            throw new CamException("target '" + target + "' takes no argument (got '" + target + ":"
                    + request.argument() + "'); it scores the whole output; to explain one class use "
                    + "class:<index or label>");
        }
    }
}
