package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explanation;
import org.camkit.api.ImageInput;
import org.camkit.demo.internal.SceneGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

// The web page at / in a real browser: headless Chromium driven by Selenium through Debian's chromedriver (.ci/run
// installs both), against the shared runtime's REST API. Screenshots go to target/page-screenshots/.
@ExtendWith(FelixRuntime.class)
class PageIT {
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SHOTS = Path.of("target/page-screenshots");
    private static final String MODEL = Scenes.BIASED;

    private static WebDriver browser;

    @BeforeAll
    static void openTheBrowser() throws Exception {
        assertTrue(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM), "PageIT needs Debian's chromium "
                + "and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER + "): .ci/run installs them, or run "
                + "apt-get install chromium chromium-driver");
        FelixRuntime.await(() -> RestClient.status("") == 200 && RestClient.status("v1/plugins/methods") == 200,
                "GET / and GET /v1/plugins/methods to answer 200");
        Files.createDirectories(SHOTS);
        // the system driver, named both ways, so that Selenium Manager never runs (it would download a driver)
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1280,900", "--force-device-scale-factor=1");
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void closeTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anAnalystExplainsADemoSceneSwitchesToScoreCamWithProgressAndSeesTheApisError() throws Exception {
        Path image = Scenes.png(Scenes.scene(FelixRuntime.explainer(), MODEL, 7, SceneGenerator.BULBASAUR, true),
                SHOTS.resolve("duck-beside-bulbasaur.png")).toAbsolutePath();
        Explanation explanation = FelixRuntime.explainer().explain(ExplainRequest.builder(MODEL).method("gradcam")
                .image(ImageInput.of(image)).build());
        String predicted = explanation.images().get(0).predictedLabel();

        browser.get(FelixRuntime.restBase().toString());
        wait(30).until(d -> new Select(d.findElement(By.id("model"))).getOptions().size() > 1
                && !new Select(d.findElement(By.id("method"))).getOptions().isEmpty());
        new Select(find("model")).selectByValue(MODEL);
        wait(30).until(d -> d.findElement(By.id("layer")).getText().contains("default ("));
        new Select(find("method")).selectByValue("gradcam");
        find("file").sendKeys(image.toString());

        WebElement overlay = awaitOverlay("gradcam");
        assertTrue(spread(overlay.getScreenshotAs(OutputType.BYTES)) > 20,
                "the overlay as the browser shows it is not blank (standard deviation of its grey levels)");
        String src = overlay.getAttribute("src");
        assertTrue(src.startsWith("data:image/png;base64,"), src.substring(0, Math.min(40, src.length())));
        assertArrayEquals(FelixRuntime.explainer().render(explanation, 0, "overlay", Map.of()).rgb(),
                RestClient.pixels(src.substring("data:image/png;base64,".length())).rgb(),
                "the page shows the overlay the explainer renders for the image, pixel for pixel");
        assertEquals(predicted, find("prediction").getText(), "the label the explainer predicts for the image");
        screenshot("1-gradcam.png");

        new Select(find("method")).selectByValue("scorecam");
        // one masked image per pass, about twice as long: the run this starts replaces the one the selection started
        find("options").sendKeys("batch-size=1", Keys.ENTER);
        WebElement progress = find("progress");
        // while ScoreCAM runs, the page polls GET /v1/requests/{id}: some of its passes done, the task named
        String during = wait(60).until(d -> progress.isDisplayed() && fraction(progress) > 0
                ? find("progress-text").getText() : null);
        screenshot("2-scorecam-progress.png");
        assertTrue(during.startsWith("scorecam"), "the progress names the running task: " + during);
        awaitOverlay("scorecam");
        assertEquals(predicted, find("prediction").getText());

        find("target").sendKeys("class:nope", Keys.ENTER);
        WebElement error = wait(60).until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        String expected = apiError(image, "scorecam", "class:nope");
        assertEquals(expected, find("error-message").getText(), "the page shows the API's own error message");
        assertTrue(error.getText().contains("nope"), error.getText());
        screenshot("3-error.png");
    }

    @Test
    void servesThePageAndItsOwnFilesOnlyAndLoadsNothingFromElsewhere() throws Exception {
        HttpResponse<String> page = RestClient.get("");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(policy.startsWith("default-src 'none'") && policy.contains("connect-src 'self'"), policy);
        assertEquals(200, RestClient.get("page/app.js").statusCode());
        assertEquals(200, RestClient.get("page/style.css").statusCode());

        for (String path : List.of("page/index.html", "page/..%2Fpage%2Fapp.js", "page/%2E%2E%2FPageResource.class",
                "page/nope.js")) {
            HttpResponse<String> response = RestClient.get(path);
            assertEquals(404, response.statusCode(), path + ": " + response.body());
        }
        JsonObject error = JsonParser.parseString(RestClient.get("page/nope.js").body()).getAsJsonObject();
        assertEquals("nope.js", error.get("culprit").getAsString());
        assertEquals(List.of("app.js", "style.css"), error.getAsJsonArray("choices").asList().stream()
                .map(JsonElement::getAsString).toList());
    }

    // waits until the overlay of `method` is shown (not the previous one, dimmed while a new one runs)
    private static WebElement awaitOverlay(String method) {
        WebElement overlay = find("overlay");
        wait(120).until(d -> {
            if (find("error").isDisplayed()) {
                throw new AssertionError(method + " failed on the page: " + find("error").getText());
            }
            return method.equals(overlay.getDomAttribute("data-method"))
                    && !overlay.getDomProperty("className").contains("stale")
                    && Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                            "return arguments[0].complete && arguments[0].naturalWidth > 0", overlay));
        });
        return overlay;
    }

    private static double fraction(WebElement progress) {
        String value = progress.getDomProperty("value");
        String max = progress.getDomProperty("max");
        return value == null || max == null ? 0 : Double.parseDouble(value) / Double.parseDouble(max);
    }

    // the standard deviation of the grey levels of a PNG: 0 for a blank (one-colour) picture
    private static double spread(byte[] png) throws IOException {
        BufferedImage picture = ImageIO.read(new ByteArrayInputStream(png));
        double sum = 0;
        double squares = 0;
        int n = picture.getWidth() * picture.getHeight();
        for (int y = 0; y < picture.getHeight(); y++) {
            for (int x = 0; x < picture.getWidth(); x++) {
                int rgb = picture.getRGB(x, y);
                double grey = 0.299 * (rgb >> 16 & 0xff) + 0.587 * (rgb >> 8 & 0xff) + 0.114 * (rgb & 0xff);
                sum += grey;
                squares += grey * grey;
            }
        }
        double mean = sum / n;
        return Math.sqrt(Math.max(0, squares / n - mean * mean));
    }

    // the "error" of the API's answer to the explanation the page asked for
    private static String apiError(Path image, String method, String target) throws Exception {
        JsonObject parameters = new JsonObject();
        parameters.addProperty("method", method);
        parameters.addProperty("target", target);
        HttpResponse<String> response = RestClient.post("v1/models/" + MODEL + ":explain",
                Files.readAllBytes(image), parameters.toString());
        assertTrue(response.statusCode() >= 400, response.statusCode() + " " + response.body());
        return JsonParser.parseString(response.body()).getAsJsonObject().get("error").getAsString();
    }

    private static WebElement find(String id) {
        return browser.findElement(By.id(id));
    }

    private static WebDriverWait wait(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds), Duration.ofMillis(50));
    }

    private static void screenshot(String name) throws IOException {
        Files.write(SHOTS.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
