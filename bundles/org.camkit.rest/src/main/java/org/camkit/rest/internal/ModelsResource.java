package org.camkit.rest.internal;

import com.google.gson.JsonObject;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.Explanation;
import org.camkit.api.ImageInput;
import org.camkit.api.ModelInfo;
import org.camkit.api.Progress;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /v1/models}: the registered models, and {@code :predict}, {@code :explain} and {@code :compare} on one (KServe
 * V1's shape: {@code {"instances": [{"b64": ...}], "parameters": {...}}}, or multipart/form-data with {@code image}
 * files and a {@code parameters} part). Models only by registered name: never a descriptor path.
 */
@Component(service = ModelsResource.class)
@JaxrsResource
@JaxrsName(ModelsResource.NAME)
@JaxrsExtensionSelect({"(osgi.jaxrs.name=" + TokenFilter.NAME + ")", "(osgi.jaxrs.name=" + ErrorMapper.NAME + ")"})
@Path("v1/models")
@Produces(Json.MEDIA_TYPE)
public final class ModelsResource {
    /** The resource's {@code osgi.jaxrs.name}: features/rest.json waits for it. */
    static final String NAME = "camkit.models";
    /** What :explain returns per image unless {@code outputs} says otherwise. */
    static final List<String> DEFAULT_OUTPUTS = List.of("overlay", "json");

    private final Explainer explainer;
    private final Serving serving;

    /**
     * @param explainer does the work
     * @param serving   the limits and workers
     */
    @Activate
    public ModelsResource(@Reference Explainer explainer, @Reference Serving serving) {
        this.explainer = explainer;
        this.serving = serving;
    }

    /** @return every registered model, sorted by name */
    @GET
    public String models() {
        return Json.write(explainer.models().stream().map(ModelView::of).toList());
    }

    /**
     * @param name a registered model name
     * @return the model with its layers and capabilities, or 404 with the registered names; loading the model is work
     *         like any request's (within the concurrency limit and the timeout)
     */
    @GET
    @Path("{name}")
    public String model(@PathParam("name") String name) {
        ModelInfo model = registered(name);
        JsonObject json = Json.tree(ModelView.of(model));
        json.addProperty("ready", true);
        return Json.write(serving.workers().run(null, tracked -> {
            json.add("layers", Json.tree(explainer.layers(model.name())));
            json.add("capabilities", Json.tree(explainer.capabilities(model.name())));
            return json;
        }));
    }

    /** {@code POST /v1/models/{name}:predict}: what the model predicts for each image. */
    @POST
    @Path("{name}:predict")
    public Response predict(@PathParam("name") String name, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String length, InputStream body) {
        Upload upload = upload(name, type, length, body, Parameters.PREDICT);
        ExplainRequest request = upload.request();
        return upload.run(() -> {
            long start = System.nanoTime();
            return Answers.predictions(request.model(), explainer.predict(request), upload.model().labels(),
                    Duration.ofNanos(System.nanoTime() - start));
        });
    }

    /** {@code POST /v1/models/{name}:explain}: per image the prediction, the target, the overlay and the map. */
    @POST
    @Path("{name}:explain")
    public Response explain(@PathParam("name") String name, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String length, InputStream body) {
        Upload upload = upload(name, type, length, body, Parameters.EXPLAIN);
        Parameters p = upload.parameters();
        List<String> outputs = p.among("outputs", List.of("overlay", "map", "json"), DEFAULT_OUTPUTS);
        String mapFormat = p.choice("map", List.of("npy", "png"), "npy");
        String visualizer = p.text("visualizer", null);
        ExplainRequest request = upload.request();
        return upload.run(() -> {
            Explanation explanation = explainer.explain(request);
            List<byte[]> overlays = new ArrayList<>();
            for (int n = 0; n < explanation.images().size(); n++) {
                overlays.add(outputs.contains("overlay")
                        ? explainer.render(explanation, n, visualizer, Map.of()).png() : null);
            }
            return Answers.explanation(explanation, overlays, outputs.contains("map") ? mapFormat : null);
        });
    }

    /** {@code POST /v1/models/{name}:compare}: several methods on the first image, and their grid. */
    @POST
    @Path("{name}:compare")
    public Response compare(@PathParam("name") String name, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String length, InputStream body) {
        Upload upload = upload(name, type, length, body, Parameters.COMPARE);
        List<String> methods = upload.parameters().list("methods");
        int columns = upload.parameters().number("columns", 0);
        ExplainRequest request = upload.request();
        return upload.run(() -> Answers.comparison(explainer.compare(request, methods, columns)));
    }

    /**
     * A request read and checked within the limits, before any work: its model, images and parameters, the request
     * for camkit (its progress relayed to the request's state) and its id.
     */
    private final class Upload {
        private final ModelInfo model;
        private final Parameters parameters;
        private final ExplainRequest request;
        private final String requestId;
        private final Relay progress = new Relay();

        Upload(ModelInfo model, List<ImageInput> images, Parameters parameters) {
            this.model = model;
            this.parameters = parameters;
            this.requestId = parameters.text("requestId", null);
            ExplainRequest.Builder builder = ExplainRequest.builder(model.name()).progress(progress);
            images.forEach(builder::image);
            builder.method(parameters.text("method", ExplainRequest.DEFAULT_METHOD));
            parameters.layers().forEach(builder::layer);
            builder.target(parameters.noFile("target", ""));
            parameters.options().forEach(builder::option);
            this.request = builder.augSmooth(parameters.flag("augSmooth")).eigenSmooth(parameters.flag("eigenSmooth"))
                    .build();
        }

        ModelInfo model() {
            return model;
        }

        Parameters parameters() {
            return parameters;
        }

        ExplainRequest request() {
            return request;
        }

        /**
         * Runs the work on a worker (queued, timed, cancellable by the request's id: the client's {@code requestId},
         * or one the workers make, which the X-Request-Id header repeats); the answer is written as JSON after the
         * worker's slot is given back.
         */
        Response run(Supplier<Object> work) {
            String[] id = new String[1];
            Object answer = serving.workers().run(requestId, tracked -> {
                progress.to = tracked;
                id[0] = tracked.id;
                return work.get();
            });
            return Response.ok(Json.write(answer), Json.MEDIA_TYPE).header("X-Request-Id", id[0]).build();
        }
    }

    /** Progress passed on to the request's state once a worker runs it. */
    private static final class Relay implements Progress {
        volatile Progress to = Progress.NONE;

        @Override
        public void update(String task, int done, int total) {
            to.update(task, done, total);
        }
    }

    private Upload upload(String name, String type, String length, InputStream body, Set<String> allowed) {
        RestConfig config = serving.config();
        ModelInfo model = registered(name);
        byte[] bytes = Uploads.read(body, contentLength(length), config.maxUploadBytes());
        Uploads.Upload upload = Uploads.isMultipart(type) ? Uploads.multipart(bytes, type) : Uploads.json(bytes);
        Parameters parameters = Parameters.parse(upload.parameters(), allowed);
        return new Upload(model, Uploads.images(upload.images(), config.maxImages(), config.maxImagePixels()),
                parameters);
    }

    /** @return the model registered under that name; 404 with the registered names otherwise (never a path) */
    private ModelInfo registered(String name) {
        List<ModelInfo> models = explainer.models();
        return models.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new RestException(404, ApiError.unknownModel(name, models.stream()
                        .map(ModelInfo::name).toList()), 0));
    }

    private static long contentLength(String header) {
        try {
            return header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
