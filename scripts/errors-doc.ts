// Writes docs/errors.md from the error table in src/api/errors.ts (`npm run docs:errors`).

import { writeFileSync } from "node:fs";
import { renderErrorsDoc } from "../src/api/errors-doc.js";

writeFileSync(new URL("../docs/errors.md", import.meta.url), renderErrorsDoc());
