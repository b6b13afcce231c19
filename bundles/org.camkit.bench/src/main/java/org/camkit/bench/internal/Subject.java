package org.camkit.bench.internal;

import org.camkit.spi.ModelDescriptor;

/**
 * A model as cam:bench runs it.
 *
 * @param reference  the name or descriptor path given
 * @param descriptor its descriptor at the bench's input size
 * @param explained  what explain calls name: {@code reference} itself, or a descriptor copy at the bench's size
 */
record Subject(String reference, ModelDescriptor descriptor, String explained) {

    /** @return whether explain calls name a descriptor copy at another input size */
    boolean copied() {
        return !explained.equals(reference);
    }

    String backend() {
        return descriptor.backend();
    }

    int size() {
        return descriptor.inputWidth();
    }
}
