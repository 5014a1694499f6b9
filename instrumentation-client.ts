import { config } from "zod";

// Runs in the browser before the app's code. The pages' Content-Security-Policy has no 'unsafe-eval', so
// zod's check for whether it may compile its parsers with `new Function` is refused and reported as a
// violation on every page that parses; in the browser it parses without compiling. The server keeps it.
config({ jitless: true });
