package org.camkit.rest.internal;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code GET /openapi.json}: the API's OpenAPI 3 description, shipped in the bundle. */
@Component(service = OpenApiResource.class)
@JaxrsResource
@JaxrsName("camkit.openapi")
@JaxrsExtensionSelect("(osgi.jaxrs.name=" + ErrorMapper.NAME + ")")
@Path("openapi.json")
public final class OpenApiResource {
    private static final PageResource.Asset DESCRIPTION = new PageResource.Asset("api/openapi.json",
            Json.MEDIA_TYPE);

    /** @return the description */
    @GET
    @Produces(Json.MEDIA_TYPE)
    public byte[] openapi() {
        return DESCRIPTION.read();
    }
}
