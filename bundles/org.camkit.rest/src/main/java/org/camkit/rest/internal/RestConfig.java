package org.camkit.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The REST API's limits and access, configuration PID {@code org.camkit.rest} (a {@code .cfg} file in
 * {@code deploy/}, or a console's form: the metatype describes every field).
 */
@ObjectClassDefinition(name = "camkit REST API",
        description = "Limits and access of camkit's HTTP API (/v1/...) and its page")
@interface RestConfig {
    String PID = "org.camkit.rest";

    @AttributeDefinition(name = "Bind address", description = "The address the HTTP service listens on; set here, "
            + "it configures the OSGi HTTP service (PID org.apache.felix.http). Anything but a loopback address "
            + "needs a token.")
    String bind() default "127.0.0.1";

    @AttributeDefinition(name = "Port", description = "The HTTP port; set here, it configures the OSGi HTTP service "
            + "(0: a free port)", min = "0", max = "65535")
    int port() default 8080;

    @AttributeDefinition(name = "Concurrent requests", description = "Requests that run at once (predict, explain, "
            + "compare); 0: one per processor core", min = "0")
    int maxConcurrent() default 0;

    @AttributeDefinition(name = "Queue length", description = "Requests that wait for a free slot; more are "
            + "answered 429 with Retry-After", min = "0")
    int queueLength() default 16;

    @AttributeDefinition(name = "Largest upload (bytes)", description = "The largest request body; larger ones are "
            + "answered 413 before they are read", min = "1")
    long maxUploadBytes() default 32L << 20;

    @AttributeDefinition(name = "Largest image (pixels)", description = "The most pixels (width x height, as the "
            + "image header states them) of one uploaded image; larger ones are answered 413 before decoding",
            min = "1")
    long maxImagePixels() default 40_000_000L;

    @AttributeDefinition(name = "Images per request", description = "The most images of one request", min = "1")
    int maxImages() default 16;

    @AttributeDefinition(name = "Timeout (seconds)", description = "A request still running after this long is "
            + "cancelled and answered 504", min = "1")
    int timeoutSeconds() default 120;

    @AttributeDefinition(name = "Bearer token", description = "When set, every /v1 request needs the header "
            + "'Authorization: Bearer <token>'; required when bound to an address other than loopback",
            type = AttributeType.PASSWORD)
    String token() default "";
}
