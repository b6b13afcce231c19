package org.camkit.rest.internal;

import java.util.List;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Response;
import org.camkit.api.Explainer;
import org.camkit.api.ModelInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

// GET /v1/models and /v1/models/{name}: the registered models, by registered name only (never a descriptor path).
@Component(service = ModelsResource.class)
@JaxrsResource
@JaxrsName(ModelsResource.NAME)
@Path("v1/models")
@Produces(Json.MEDIA_TYPE)
public final class ModelsResource {
    /** The resource's {@code osgi.jaxrs.name}: features/rest.json waits for it. */
    static final String NAME = "camkit.models";

    private final Explainer explainer;

    /** @param explainer lists the models */
    @Activate
    public ModelsResource(@Reference Explainer explainer) {
        this.explainer = explainer;
    }

    /** @return every registered model, sorted by name */
    @GET
    public String models() {
        return Json.write(explainer.models().stream().map(ModelView::of).toList());
    }

    /**
     * @param name a registered model name
     * @return the model, or 404 with the registered names
     */
    @GET
    @Path("{name}")
    public Response model(@PathParam("name") String name) {
        List<ModelInfo> models = explainer.models();
        return models.stream().filter(m -> m.name().equals(name)).findFirst()
                .map(m -> Response.ok(Json.write(ModelView.of(m)), Json.MEDIA_TYPE).build())
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND).type(Json.MEDIA_TYPE)
                        .entity(Json.write(ApiError.unknownModel(name, models.stream().map(ModelInfo::name).toList())))
                        .build());
    }
}
