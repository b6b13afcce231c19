package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;
import org.camkit.api.RgbImage;

/** Calls the shared runtime's REST API over real HTTP on loopback. */
final class RestClient {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RestClient() {
    }

    static HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return send(request(path, headers).GET().build());
    }

    static HttpResponse<String> delete(String path, String... headers) throws IOException, InterruptedException {
        return send(request(path, headers).DELETE().build());
    }

    /** POSTs {@code {"instances": [{"b64": ...}], "parameters": ...}}. */
    static HttpResponse<String> post(String path, byte[] image, String parameters, String... headers)
            throws IOException, InterruptedException {
        String body = "{\"instances\": [{\"b64\": \"" + Base64.getEncoder().encodeToString(image) + "\"}]"
                + (parameters == null ? "" : ", \"parameters\": " + parameters) + "}";
        return postBody(path, "application/json", body.getBytes(StandardCharsets.UTF_8), headers);
    }

    static HttpResponse<String> postBody(String path, String type, byte[] body, String... headers)
            throws IOException, InterruptedException {
        return send(request(path, headers).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** POSTs multipart/form-data: the image as part {@code image}, the parameters as part {@code parameters}. */
    static HttpResponse<String> multipart(String path, byte[] image, String parameters)
            throws IOException, InterruptedException {
        String boundary = "camkit-it-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(image);
        body.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"parameters\"\r\n\r\n"
                + parameters + "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return postBody(path, "multipart/form-data; boundary=" + boundary, body.toByteArray());
    }

    static JsonObject json(HttpResponse<String> response) {
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    /** @return a base64 .npy of float32 values as its values (the header's shape is checked by the caller) */
    static float[] npy(String base64, int values) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        float[] out = new float[values];
        ByteBuffer.wrap(bytes, bytes.length - 4 * values, 4 * values).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                .get(out);
        return out;
    }

    static String npyHeader(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        int length = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        return new String(bytes, 10, length, StandardCharsets.US_ASCII).trim();
    }

    /**
     * @param id      a request's id
     * @param headers header name, value pairs (the token)
     * @return what {@code GET /v1/requests/{id}} says of it (state, task, done, total), or empty before the API has it
     */
    static java.util.Optional<JsonObject> requestState(String id, String... headers) {
        HttpResponse<String> response = RestIT.call(() -> get("v1/requests/" + id, headers));
        return response.statusCode() == 200 ? java.util.Optional.of(json(response)) : java.util.Optional.empty();
    }

    static int status(String path) {
        return status(FelixRuntime.restBase().resolve(path));
    }

    /** @return the status of a GET of {@code uri}, or -1 when nothing answers there */
    static int status(URI uri) {
        try {
            return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static HttpRequest.Builder request(String path, String... headers) {
        URI uri = FelixRuntime.restBase().resolve(path);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, String> headers(HttpResponse<?> response) {
        Map<String, String> out = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        response.headers().map().forEach((k, v) -> out.put(k, String.join(",", v)));
        return out;
    }

    /** @return the pixels of a base64 PNG */
    static RgbImage pixels(String base64Png) throws IOException {
        java.awt.image.BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder()
                .decode(base64Png)));
        assertNotNull(image, "a PNG");
        byte[] rgb = new byte[image.getWidth() * image.getHeight() * 3];
        for (int y = 0, i = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++, i += 3) {
                int p = image.getRGB(x, y);
                rgb[i] = (byte) (p >> 16);
                rgb[i + 1] = (byte) (p >> 8);
                rgb[i + 2] = (byte) p;
            }
        }
        return new RgbImage(image.getWidth(), image.getHeight(), rgb);
    }
}
