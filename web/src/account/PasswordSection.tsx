import { useState, type FormEvent } from "react";
import { ApiError, messageOf } from "../api/errors";
import { hasErrors, type FieldErrors } from "../auth/validation";
import { Field } from "../ui/Field";
import { FormError } from "../ui/FormError";
import { useChangePassword } from "./queries";
import { validatePassword, type PasswordValues } from "./validation";

const empty: PasswordValues = { current: "", next: "", confirm: "" };

/** PasswordSection changes the password; the server then signs out every other device. */
export function PasswordSection() {
  const change = useChangePassword();
  const [values, setValues] = useState(empty);
  const [errors, setErrors] = useState<FieldErrors<keyof PasswordValues>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  function set(key: keyof PasswordValues, value: string) {
    setValues((v) => ({ ...v, [key]: value }));
    setDone(false);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    setDone(false);
    const found = validatePassword(values);
    setErrors(found);
    if (hasErrors(found)) return;
    try {
      await change.mutateAsync({ current_password: values.current, new_password: values.next });
      setValues(empty);
      setDone(true);
    } catch (err) {
      if (err instanceof ApiError && err.field === "current_password") {
        setErrors({ current: err.code === "FORBIDDEN" ? "That is not your current password." : messageOf(err) });
      } else if (err instanceof ApiError && err.field === "new_password") {
        setErrors({ next: messageOf(err) });
      } else {
        setFormError(messageOf(err));
      }
    }
  }

  return (
    <section aria-labelledby="password-heading" className="account-section">
      <h2 id="password-heading">Password</h2>
      <p className="account-section__lede">
        Changing your password signs you out on every other device; this one stays signed in.
      </p>
      <form onSubmit={submit} noValidate className="account-narrow">
        <FormError message={formError} />
        <Field
          label="Current password"
          name="current_password"
          type="password"
          autoComplete="current-password"
          value={values.current}
          error={errors.current}
          onChange={(e) => set("current", e.target.value)}
        />
        <Field
          label="New password"
          hint="At least 10 characters. A short sentence you'll remember works well."
          name="new_password"
          type="password"
          autoComplete="new-password"
          value={values.next}
          error={errors.next}
          onChange={(e) => set("next", e.target.value)}
        />
        <Field
          label="Confirm new password"
          name="confirm_password"
          type="password"
          autoComplete="new-password"
          value={values.confirm}
          error={errors.confirm}
          onChange={(e) => set("confirm", e.target.value)}
        />
        <div className="account-actions">
          <button type="submit" className="button button--primary" disabled={change.isPending}>
            {change.isPending ? "Changing…" : "Change password"}
          </button>
          <p role="status" className="account-status">
            {done ? "Password changed. You have been signed out on your other devices." : ""}
          </p>
        </div>
      </form>
    </section>
  );
}
