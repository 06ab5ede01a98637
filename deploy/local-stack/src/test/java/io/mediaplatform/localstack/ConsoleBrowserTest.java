package io.mediaplatform.localstack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator console (ARCHITECTURE §17) driven end to end in a real headless Chromium (Debian's {@code chromium}
 * through its {@code chromedriver}; no browser or driver is downloaded) on the real local stack: what the operator
 * sees in the page is asserted at each step, and each step is saved as a screenshot in
 * {@code target/console-screenshots/} (the README's come from there). Skips, naming the binary, where either is missing.
 */
@ExtendWith({ConsoleBrowserTest.RequiresChromium.class, ConsoleBrowserTest.ScreenshotOnFailure.class})
class ConsoleBrowserTest extends LocalStackTestBase {

    static final Path CHROMIUM = Path.of(System.getProperty("console.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("console.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Path PHOTO = ReadmeWalkthrough.REPO_ROOT.resolve("deploy/local-stack/demo/photo.png");
    private static final String REFUSAL = "Sorry, this inbox takes no files. Please describe the problem in words.";

    /** Skips the class before the stack starts where Chromium or its driver is not installed. */
    static final class RequiresChromium implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
                Assumptions.assumeTrue(Files.isExecutable(binary), () -> binary + " is not installed: the console's browser "
                        + "test needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run does)");
            }
        }
    }

    /** Saves what the page showed when a test failed, next to the steps' screenshots. */
    static final class ScreenshotOnFailure implements org.junit.jupiter.api.extension.TestWatcher {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (driver != null) {
                try {
                    screenshot("failed-" + context.getRequiredTestMethod().getName());
                } catch (Exception e) {
                    cause.addSuppressed(e);
                }
            }
        }
    }

    static WebDriver driver;
    static WebDriverWait wait;

    @BeforeAll
    static void startBrowser() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1360,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(250));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
    }

    @Test
    void an_operator_sends_an_asset_follows_it_to_read_and_sees_a_customers_file_refused_with_the_inbox_message()
            throws Exception {
        // Given the console at the URL the local stack prints and writes to local-stack.json
        String console = Http.JSON.readTree(dataDir.resolve("local-stack.json").toFile()).path("console").asText();
        assertThat(console).isEqualTo(stack.callbackUrl() + "/console");
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        stack.printSummary(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("  console             " + console + "\n");
        driver.get(console);
        wait.until(d -> "true".equals(test("body-ready").getAttribute("data-ready")));

        // When the operator logs in with the demo tenant's API key
        test("api-key").sendKeys(apiKey);
        test("login").click();

        // Then the page says so (the key checked with the API), without an error
        wait.until(d -> "true".equals(test("session").getAttribute("data-logged-in")));
        assertThat(test("session").getText()).contains("Logged in with key …" + apiKey.substring(apiKey.length() - 4));
        assertThat(test("error").getText()).isEmpty();
        screenshot("console-01-login");

        // When an asset is uploaded to the library (cross-origin to ingest) with a name and tags
        tab("assets");
        test("asset-file").sendKeys(PHOTO.toAbsolutePath().toString());
        test("asset-name").sendKeys("Welcome photo");
        test("asset-tags").sendKeys("welcome,console");
        test("asset-upload-submit").click();

        // Then it is in the library, tagged, and its thumbnail shows once validation accepted it
        wait.until(d -> test("asset-upload-result").getText().contains("Welcome photo"));
        assertThat(test("assets-error").getText()).isEmpty();
        WebElement asset = poll(d -> {
            List<WebElement> shown = d.findElements(By.cssSelector("[data-test=asset-row][data-name='Welcome photo'] img"));
            return shown.isEmpty() || !loaded(shown.getFirst()) ? null
                    : d.findElement(By.cssSelector("[data-test=asset-row][data-name='Welcome photo']"));
        }, () -> test("asset-search-submit").click());
        assertThat(asset.getText()).contains("image").contains("image/png").contains("ACCEPTED");
        assertThat(asset.findElement(By.cssSelector("[data-test=asset-row-tags]")).getAttribute("value")).isEqualTo("console,welcome");
        assertThat(asset.findElement(By.tagName("img")).getAttribute("src")).startsWith("blob:");
        screenshot("console-02-assets");

        // When the operator picks it and sends it on WhatsApp as agent alice
        asset.findElement(By.cssSelector("[data-test=asset-pick]")).click();
        wait.until(ExpectedConditions.visibilityOf(test("send-panel")));
        assertThat(test("send-asset-name").getText()).contains("Welcome photo");
        new Select(test("send-channel")).selectByVisibleText("WHATSAPP");
        test("send-from").sendKeys("+15550100001");
        test("send-to").sendKeys("+15557654321");
        test("send-conversation").sendKeys("console-demo");
        test("send-agent").sendKeys("alice");
        test("send-submit").click();
        String messageId = wait.until(d -> {
            String id = test("send-result").getAttribute("data-message-id");
            return id == null || id.isEmpty() ? null : id;
        });
        assertThat(test("send-error").getText()).isEmpty();

        // Then following it shows its timeline reach READ, every step in order
        test("send-follow").click();
        wait.until(d -> "READ".equals(test("message-detail").getAttribute("data-status")));
        assertThat(test("detail-id").getText()).isEqualTo(messageId);
        assertThat(test("detail-status").getText()).isEqualTo("READ");
        List<String> steps = driver.findElements(By.cssSelector("[data-test=timeline-step]")).stream()
                .map(step -> step.getAttribute("data-status")).toList();
        assertThat(steps).containsSubsequence("ACCEPTED", "QUEUED", "SENT", "DELIVERED", "READ");
        assertThat(test("timeline").getText()).contains("wamid.");
        screenshot("console-03-timeline");

        // When the operator turns Receive off for the demo inbox, with a message for the customer
        tab("inbox");
        test("inbox-id").sendKeys("demo-inbox");
        test("inbox-load").click();
        wait.until(ExpectedConditions.visibilityOf(test("inbox-form")));
        assertThat(test("inbox-receive").isSelected()).isTrue();
        test("inbox-receive").click();
        test("inbox-message").clear();
        test("inbox-message").sendKeys(REFUSAL);
        test("inbox-save").click();

        // Then the page confirms what the API saved
        wait.until(d -> test("inbox-result").getText().startsWith("Saved"));
        assertThat(test("inbox-result").getText()).contains("receive off").contains(REFUSAL);
        assertThat(test("inbox-receive").isSelected()).isFalse();
        assertThat(test("inbox-error").getText()).isEmpty();
        screenshot("console-04-inbox-settings");

        // When a customer sends a photo on WhatsApp (the provider simulator posts the signed webhook)
        Http.Response sent = Http.postBytes(stack.simulatorUrl()
                + "/simulator/whatsapp/customer-messages?from=%2B15557654321&type=image&caption=Broken%20lid",
                "image/png", Files.readAllBytes(PHOTO));
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        String wamid = sent.json().path("providerMessageId").asText();

        // Then the console's inbound messages show it refused, in words, with the message the customer got
        tab("messages");
        new Select(driver.findElement(By.id("f-direction"))).selectByVisibleText("INBOUND");
        WebElement refused = poll(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("[data-test=message-row][data-status=REJECTED]"));
            return rows.isEmpty() ? null : rows.getFirst();
        }, () -> test("search-messages").click());
        refused.click();
        wait.until(d -> test("detail-facts").getText().contains(wamid));
        assertThat(test("detail-status").getText()).isEqualTo("REJECTED");
        assertThat(test("detail-facts").getText()).contains("INBOUND").contains("from +15557654321");
        assertThat(test("detail-reason").getText()).contains("MEDIA_DISABLED: media is switched off for this inbox");
        assertThat(test("detail-customer-message").getText()).isEqualTo("The customer was answered: “" + REFUSAL + "”");
        assertThat(test("messages-error").getText()).isEmpty();
        screenshot("console-05-inbound-refused");

        // And the media view shows the sent photo with its thumbnail, and the customer's refused one without
        tab("media");
        WebElement outbound = poll(d -> {
            List<WebElement> images = d.findElements(By.cssSelector("[data-test=media-card][data-direction=OUTBOUND] img"));
            return images.isEmpty() || !loaded(images.getFirst()) ? null : images.getFirst();
        }, () -> driver.findElement(By.cssSelector("[data-test=media-load]")).click());
        assertThat(outbound.getAttribute("src")).startsWith("blob:");
        WebElement inbound = driver.findElement(By.cssSelector("[data-test=media-card][data-direction=INBOUND]"));
        assertThat(inbound.getText()).contains("from +15557654321").contains("REJECTED (MEDIA_DISABLED)");
        assertThat(test("media-error").getText()).isEmpty();
        screenshot("console-06-media");

        // And the audit view shows who shared the asset with whom and how it ended, the refusal too
        tab("audit");
        WebElement audited = poll(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("[data-test=audit-row][data-message-id='" + messageId + "']"));
            return rows.isEmpty() || !"READ".equals(rows.getFirst().getAttribute("data-outcome")) ? null : rows.getFirst();
        }, () -> test("audit-search").click());
        assertThat(audited.getText()).contains("OUTBOUND").contains("agent:alice").contains("WHATSAPP").contains("+15557654321");
        assertThat(driver.findElements(By.cssSelector("[data-test=audit-row][data-outcome=REJECTED]"))).isNotEmpty();
        // And its CSV export is offered with the rows it holds
        test("audit-csv").click();
        wait.until(d -> test("audit-download").isDisplayed());
        assertThat(test("audit-download").getText()).startsWith("audit.csv (").contains(" rows)");
        assertThat(test("audit-download").getAttribute("href")).startsWith("blob:");
        assertThat(test("audit-error").getText()).isEmpty();
        screenshot("console-07-audit");
    }

    @Test
    void a_wrong_key_is_told_in_the_page_and_a_webhook_endpoint_is_created_rotated_and_its_attempts_listed()
            throws Exception {
        // Given the console
        driver.get(stack.callbackUrl() + "/console");
        wait.until(d -> "true".equals(test("body-ready").getAttribute("data-ready")));
        ((JavascriptExecutor) driver).executeScript("sessionStorage.clear()");

        // When an unknown key is typed in
        test("api-key").sendKeys("mpk_not-a-key");
        test("login").click();

        // Then the API's problem is shown to the operator, who is not logged in
        wait.until(d -> !test("error").getText().isEmpty());
        assertThat(test("error").getText()).isEqualTo("401 Unauthorized: Unknown API key");
        assertThat(test("session").getAttribute("data-logged-in")).isEqualTo("false");

        // When the right key is used and an endpoint for READ statuses is created in the webhooks view
        test("api-key").sendKeys(apiKey);
        test("login").click();
        wait.until(d -> "true".equals(test("session").getAttribute("data-logged-in")));
        assertThat(test("error").getText()).isEmpty();
        tab("webhooks");
        String url = stack.simulatorUrl() + WebhookInbox.PATH + "console-endpoint";
        test("webhook-url").sendKeys(url);
        test("webhook-events").sendKeys("READ");
        test("webhook-description").sendKeys("console test");
        test("webhook-create").click();

        // Then its secret is shown once, and it is listed with its filter
        wait.until(d -> test("webhook-secret").getText().contains("whsec_"));
        WebElement row = wait.until(d -> d.findElement(By.cssSelector("[data-test=webhook-row][data-url='" + url + "']")));
        assertThat(row.getText()).contains("READ").contains("console test").contains("active");

        // When a refused input is tried: an endpoint on a private address
        test("webhook-url").clear();
        test("webhook-url").sendKeys("http://10.1.2.3/hook");
        test("webhook-create").click();
        // Then the problem's detail is shown
        wait.until(d -> test("webhooks-error").getText().startsWith("400"));
        assertThat(test("webhooks-error").getText()).contains("not allowed");

        // When its secret is rotated
        String first = test("webhook-secret").getText();
        driver.findElement(By.cssSelector("[data-test=webhook-row][data-url='" + url + "'] [data-test=webhook-rotate]")).click();
        // Then a new one is shown, the old one signing until the overlap ends
        wait.until(d -> test("webhook-secret").getText().startsWith("New secret"));
        assertThat(test("webhook-secret").getText()).doesNotContain(first.substring(first.indexOf("whsec_")))
                .contains("the previous one signs too until");

        // When a message goes to READ and the endpoint's attempts are opened
        String mediaId = upload();
        String messageId = Http.postJson(stack.ingestUrl() + "/v1/messages", apiKey, """
                {"channel":"WHATSAPP","from":"+15550100001","to":"+15557654321","kind":"image","media":{"id":"%s"},
                 "conversationId":"console-hooks"}""".formatted(mediaId)).json().path("messageId").asText();
        WebElement attempt = poll(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("[data-test=endpoint-attempt-row][data-message-id='" + messageId + "']"));
            return rows.isEmpty() || !rows.getFirst().getText().contains("READ") ? null : rows.getFirst();
        }, () -> driver.findElement(By.cssSelector("[data-test=webhook-row][data-url='" + url + "'] [data-test=webhook-attempts]")).click());
        // Then the READ webhook's attempt is there, delivered (the webhook inbox answers 204)
        assertThat(attempt.getText()).contains("READ").contains(" 204 ").contains("DELIVERED");
        screenshot("console-08-webhooks");

        // And replaying it from there is confirmed
        attempt.findElement(By.cssSelector("[data-test=endpoint-replay]")).click();
        wait.until(d -> test("webhook-secret").getText().startsWith("Replayed"));
        assertThat(test("webhook-secret").getText()).contains(messageId);
    }

    private static String upload() throws Exception {
        return Http.upload(stack.ingestUrl() + "/v1/media", apiKey, "photo.png", "image/png", Files.readAllBytes(PHOTO),
                java.util.Map.of("conversationId", "console-hooks", "channel", "WHATSAPP")).json().path("mediaId").asText();
    }

    private static WebElement test(String name) {
        if (name.equals("body-ready")) {
            return driver.findElement(By.tagName("body"));
        }
        return driver.findElement(By.cssSelector("[data-test='" + name + "']"));
    }

    private static void tab(String view) {
        driver.findElement(By.cssSelector("#tabs button[data-view='" + view + "']")).click();
        wait.until(ExpectedConditions.visibilityOf(test("view-" + view)));
    }

    /**
     * Waits until {@code check} finds what the operator should see, doing {@code refresh} (a search, a reload button)
     * between looks: the page is asked again only after it had time to draw its last answer.
     */
    private static <T> T poll(java.util.function.Function<WebDriver, T> check, Runnable refresh) {
        return new WebDriverWait(driver, Duration.ofSeconds(90), Duration.ofMillis(1500))
                .ignoring(StaleElementReferenceException.class)
                .until(d -> {
                    T found = check.apply(d);
                    if (found == null) {
                        refresh.run();
                    }
                    return found;
                });
    }

    private static boolean loaded(WebElement image) {
        Object width = ((JavascriptExecutor) driver).executeScript("return arguments[0].complete && arguments[0].naturalWidth", image);
        return width instanceof Number n && n.intValue() > 0;
    }

    private static void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
