package org.camkit.rest.internal;

import java.util.Map;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.core.HttpHeaders;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime;
import org.osgi.service.jaxrs.runtime.JaxrsServiceRuntimeConstants;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

// Checks every /v1 request against the token (Access) that Serving holds: configuration org.camkit.rest's, else the
// framework property camkit.rest.token; the page and its assets are public.
@Component(service = ContainerRequestFilter.class)
@JaxrsExtension
@JaxrsName(TokenFilter.NAME)
public final class TokenFilter implements ContainerRequestFilter {
    /** The extension's {@code osgi.jaxrs.name}: the resources select it, so none is served before it. */
    static final String NAME = "camkit.auth";

    private final Serving serving;
    // the first endpoint beyond loopback, found when the JAX-RS runtime publishes them (not per request: a host name
    // there would be looked up each time)
    private volatile String exposed;

    /** @param serving holds the token of the configuration in effect */
    @Activate
    public TokenFilter(@Reference Serving serving) {
        this.serving = serving;
    }

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindRuntime(JaxrsServiceRuntime runtime, Map<String, Object> properties) {
        exposed = Access.exposed(Access.endpoints(properties.get(JaxrsServiceRuntimeConstants.JAX_RS_SERVICE_ENDPOINT)));
    }

    void updatedRuntime(JaxrsServiceRuntime runtime, Map<String, Object> properties) {
        bindRuntime(runtime, properties);
    }

    void unbindRuntime(JaxrsServiceRuntime runtime) {
        // the endpoints stay as last known: a runtime going away serves nothing
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith("v1") || path.startsWith("/v1")) {
            try {
                Access.check(serving.token(), exposed, request.getHeaderString(HttpHeaders.AUTHORIZATION));
            } catch (RestException e) {
                request.abortWith(ErrorMapper.response(e));
            }
        }
    }
}
