/** How a command line names a configured repository. */

/** `--repo` takes the configured name (`project1/repo1`) or its last part (`repo1`). */
export function matchesRepo(name: string, wanted: string | undefined): boolean {
  if (wanted === undefined) return true;
  return name === wanted || name.split("/").pop() === wanted;
}
