package io.mediaplatform.localstack;

import io.mediaplatform.simulator.EmailSimulator;

import java.io.PrintStream;
import java.nio.file.Path;

/** The banner the local stack prints once it is up: its endpoints, the tenants' keys and a first send to try. */
final class Banner {

    private Banner() {
    }

    /** Prints what the stack runs, its tenants' keys and a first send to try. */
    static void print(PrintStream out, StackDescription description, StackInfrastructure infra, LocalSecrets secrets,
                      Path dataDir, String antivirus) {
        LocalSecrets.Tenant demo = secrets.tenants().getFirst();
        String ingest = description.get("ingest");
        String inbox = description.simulatorUrl() + WebhookInbox.PATH + "demo";
        out.println();
        out.println("Media platform is up. Data: " + dataDir + " (kept across restarts; --reset wipes it)");
        out.println();
        out.printf("  ingest API          %s   (OpenAPI: %s/openapi.yaml)%n", ingest, ingest);
        out.printf("  callback API        %s%n", description.get("callback"));
        out.printf("  console             %s%n", description.get("console"));
        out.printf("  dispatch (webhooks) %s/v1/providers/whatsapp/status%n", description.get("dispatch"));
        out.printf("  schema registry     %s%n", infra.registryUrl);
        out.printf("  kafka               %s%n", infra.kafkaBootstrap);
        out.printf("  s3                  %s  bucket %s%n", infra.s3Endpoint, infra.s3Bucket);
        out.printf("  antivirus           %s%n", antivirus);
        out.printf("  provider simulators %s   (WhatsApp Cloud API and 360dialog, Twilio for MMS and SMS, notification API for RCS and WEBCHAT, FCM for PUSH, e-mail for EMAIL)%n", description.simulatorUrl());
        out.printf("  smtp sink           %s   (EMAIL; the mails: %s%s)%n", description.smtp(), description.simulatorUrl(), EmailSimulator.SENT_MESSAGES_PATH);
        out.printf("  webhook inbox       %s/webhook-inbox/<name>%n", description.simulatorUrl());
        out.println();
        for (LocalSecrets.Tenant tenant : secrets.tenants()) {
            out.printf("  tenant %-7s API key %s   webhook secret %s%n", tenant.id(), tenant.apiKey(), tenant.webhookSecret());
        }
        out.println();
        out.println("Everything above is in " + dataDir.resolve("local-stack.json") + ". Try it (from the repository root):");
        out.println();
        out.println("  export API_KEY=" + demo.apiKey());
        out.println("  MEDIA_ID=$(curl -s -H \"Authorization: Bearer $API_KEY\" -F file=@deploy/local-stack/demo/photo.png"
                + " -F conversationId=demo-conversation -F channel=WHATSAPP " + ingest + "/v1/media | sed 's/.*\"mediaId\":\"\\([^\"]*\\)\".*/\\1/')");
        out.println("  MESSAGE_ID=$(curl -s -H \"Authorization: Bearer $API_KEY\" -H 'Content-Type: application/json' -d '{\"channel\":\"WHATSAPP\",\"from\":\"+15550100001\","
                + "\"to\":\"+15557654321\",\"kind\":\"image\",\"media\":{\"id\":\"'$MEDIA_ID'\"},\"conversationId\":\"demo-conversation\",\"callbacks\":[\"" + inbox + "\"]}' "
                + ingest + "/v1/messages | sed 's/.*\"messageId\":\"\\([^\"]*\\)\".*/\\1/')");
        out.println("  curl -s -H \"Authorization: Bearer $API_KEY\" " + description.get("callback") + "/v1/messages/$MESSAGE_ID");
        out.println();
        out.println("Webhooks the demo receiver got: curl -s " + inbox + "    Ctrl-C stops everything.");
    }
}
