/**
 * Work in progress carried between machines (`gitargus wip`): snapshots of uncommitted work on a private ref
 * of the repository's remote, restored elsewhere only when nothing there can be lost.
 */

export { type Announced, announceWip, type WipChange, wipEvent } from "./announce.ts";
export {
  type CarryDeps,
  dropSnapshot,
  findSnapshot,
  type FoundSnapshot,
  repositoriesToSave,
  saveWork,
} from "./carry.ts";
export type { SaveOutcome } from "./carry.ts";
export { describeSnapshot, snapshotDiff, type SnapshotFile } from "./contents.ts";
export { type RefusedFile } from "./guard.ts";
export { type ListedWip, listedWip } from "./listing.ts";
export { isWipRef, parseWipRef, WIP_NAMESPACE, wipBranchName, WipError, wipRef } from "./refs.ts";
export { snapshotRemoteOrNull } from "./remote.ts";
export { applyRestore, planRestore, restoreOntoBranch, type RestorePlan } from "./restore.ts";
export { readSavedWip } from "./saved.ts";
