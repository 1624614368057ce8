/** `npm run engine:build`: builds the engine launcher unless the cached build is current. */
import { buildEngine } from './engine.ts';

buildEngine((l) => console.log(l))
  .then((jar) => console.log(`engine jar: ${jar}`))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
