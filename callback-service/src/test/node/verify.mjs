// Verifies webhooks signed by callback-service with the reference Standard Webhooks library.
// Usage: node verify.mjs <cases.json>
// cases.json: [{"name": "...", "secret": "whsec_...", "payload": "...", "headers": {...}, "valid": true|false}]
// Prints one line per case and exits 0 only when every case verifies exactly as expected.
import { readFileSync } from "node:fs";
import { Webhook } from "standardwebhooks";

const cases = JSON.parse(readFileSync(process.argv[2], "utf8"));
let failures = 0;
for (const c of cases) {
  let verified;
  let error = "";
  try {
    new Webhook(c.secret).verify(c.payload, c.headers);
    verified = true;
  } catch (e) {
    verified = false;
    error = ` (${e.message})`;
  }
  const ok = verified === c.valid;
  if (!ok) failures++;
  console.log(`${ok ? "OK  " : "FAIL"} ${c.name}: verified=${verified}, expected=${c.valid}${error}`);
}
process.exit(failures === 0 && cases.length > 0 ? 0 : 1);
