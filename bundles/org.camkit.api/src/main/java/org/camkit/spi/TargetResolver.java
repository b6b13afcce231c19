package org.camkit.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns one image's model output into the score to explain and its gradient seed, in plain Java, so targets
 * never depend on a backend. Registered as a service named with {@link org.camkit.spi.propertytypes.CamTarget};
 * a request's target spec {@code name[:argument]} picks the resolver by name.
 *
 * @since 0.1
 */
@ConsumerType
public interface TargetResolver {

    /**
     * @param request the argument of the spec and the image's output
     * @return the score and seed, never null
     * @throws org.camkit.api.CamException if the argument is malformed or out of range; the message names the
     *                                      spec and the valid forms
     */
    TargetScore resolve(TargetRequest request);

    /**
     * @return one line saying what the target scores and the forms of its spec (e.g. {@code class:<index or label>:
     *         the raw output of one class}), and any caveat a user should know, for listings ({@code cam:targets});
     *         empty (the default) for none
     * @since 1.3
     */
    default String description() {
        return "";
    }
}
