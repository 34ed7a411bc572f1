import { useState } from "react";
import { messageOf } from "../api/errors";
import type { FieldErrors } from "../auth/validation";
import { VersionConflict } from "./queries";
import { fieldOf, hasErrors } from "./validation";

/**
 * useVersionedSave holds what a bible form needs around saving a record that
 * carries a version: the version the writer started from (base), someone else's
 * newer save (conflict), and the errors to show, each in its place.
 */
export function useVersionedSave<T extends { version: number }, F extends string>(start: T | undefined, fields: readonly F[]) {
  const [base, setBase] = useState<T | undefined>(start);
  const [conflict, setConflict] = useState<T | null>(null);
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [formError, setFormError] = useState<string | null>(null);

  /** check shows what validation found and clears the last error; true when the draft can be sent. */
  function check(found: FieldErrors<F>): boolean {
    setErrors(found);
    setFormError(null);
    return !hasErrors(found);
  }

  /** failed shows a refused save: a newer version beside the form, a field's error next to its field, anything else above the buttons. */
  function failed(err: Error) {
    if (err instanceof VersionConflict) {
      setConflict(err.current as T);
      return;
    }
    const field = fieldOf(err);
    if (field && (fields as readonly string[]).includes(field)) setErrors({ [field]: err.message } as FieldErrors<F>);
    else setFormError(messageOf(err));
  }

  /** resolve closes the conflict: what was saved meanwhile is the version the next save starts from. */
  function resolve(current: T) {
    setBase(current);
    setConflict(null);
  }

  return { base, setBase, conflict, errors, formError, check, failed, resolve };
}
