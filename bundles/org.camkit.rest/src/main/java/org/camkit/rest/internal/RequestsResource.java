package org.camkit.rest.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /v1/requests/{id}}: a request's state and progress while it runs and a few minutes after ({@code GET}), and
 * its cancellation ({@code DELETE}); the id is the {@code requestId} parameter the client gave, or the response's
 * {@code X-Request-Id}.
 */
@Component(service = RequestsResource.class)
@JaxrsResource
@JaxrsName("camkit.requests")
@JaxrsExtensionSelect({"(osgi.jaxrs.name=" + TokenFilter.NAME + ")", "(osgi.jaxrs.name=" + ErrorMapper.NAME + ")"})
@Path("v1/requests")
@Produces(Json.MEDIA_TYPE)
public final class RequestsResource {
    private final Serving serving;

    /** @param serving holds the requests' states */
    @Activate
    public RequestsResource(@Reference Serving serving) {
        this.serving = serving;
    }

    /**
     * @param id a request's id
     * @return {@code {id, state, task, done, total}}; 404 for an unknown id
     */
    @GET
    @Path("{id}")
    public String state(@PathParam("id") String id) {
        Workers.Tracked t = tracked(id);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", t.id);
        json.put("state", t.state.name().toLowerCase(Locale.ROOT));
        json.put("task", t.task);
        json.put("done", t.done);
        json.put("total", t.total);
        return Json.write(json);
    }

    /**
     * @param id a queued or running request's id
     * @return 204; the request's caller is answered 409 once it stops
     */
    @DELETE
    @Path("{id}")
    public Response cancel(@PathParam("id") String id) {
        if (!serving.workers().cancel(id)) {
            throw unknown(id);
        }
        return Response.noContent().build();
    }

    private Workers.Tracked tracked(String id) {
        Workers.Tracked t = serving.workers().get(id);
        if (t == null) {
            throw unknown(id);
        }
        return t;
    }

    private static RestException unknown(String id) {
        return new RestException(404, "no request '" + id + "' is known (ids are kept " + Workers.KEPT.toMinutes()
                + " minutes after a request ends)", id, List.of());
    }
}
