/** The errors `kansli check` finds in a content folder: what most content tests look at. */
import { check } from '../../src/pipeline/build.js';
import { ProblemsError, type Problem } from '../../src/content/problems.js';

export function checkErrors(dir: string): Problem[] {
  try {
    check({ contentDir: dir });
  } catch (e) {
    if (e instanceof ProblemsError) return e.problems.filter((p) => p.severity === 'error');
    throw e;
  }
  throw new Error('expected the check to fail');
}

/** Every problem `kansli check` reports for a content folder, errors and warnings, whether it passes or not. */
export function checkProblems(dir: string): readonly Problem[] {
  try {
    return check({ contentDir: dir }).warnings;
  } catch (e) {
    if (e instanceof ProblemsError) return e.problems;
    throw e;
  }
}
