/** `gitargus clone`: repositories other machines have, cloned here from the URL they recorded. */

export { missingHere, type MissingRepository } from "./missing.ts";
export { type Here, planClones, type PlanEntry, type PlannedClone } from "./plan.ts";
export { cloneArgs, runClone } from "./run.ts";
export { cloneTarget, nameProblem } from "./target.ts";
export { cloneUrlProblem } from "./url.ts";
