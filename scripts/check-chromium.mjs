import { chromiumPath } from "./chromium-path.mjs";

if (!chromiumPath()) {
  console.error("E2E needs Chromium and none was found: install it with `apt-get install chromium` (or set CHROMIUM_PATH).");
  process.exit(1);
}
