import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { ApiError, messageOf } from "../api/errors";
import { Field } from "../ui/Field";
import { FormError } from "../ui/FormError";
import { useAuth } from "./AuthContext";
import { hasErrors, validateSignUp, type FieldErrors, type SignUpValues } from "./validation";

type Errors = FieldErrors<keyof SignUpValues>;

/** SignUpPage creates an account and signs the writer in. */
export function SignUpPage() {
  const { signUp } = useAuth();
  const navigate = useNavigate();
  const [values, setValues] = useState<SignUpValues>({ email: "", username: "", password: "" });
  const [displayName, setDisplayName] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const found = validateSignUp(values);
    setErrors(found);
    if (hasErrors(found)) return;
    setBusy(true);
    try {
      await signUp({ ...values, displayName });
      navigate("/", { replace: true });
    } catch (err) {
      const field = err instanceof ApiError ? err.field : undefined;
      if (err instanceof ApiError && (field === "email" || field === "username" || field === "password")) {
        setErrors({ [field]: err.message });
      } else {
        setFormError(messageOf(err));
      }
    } finally {
      setBusy(false);
    }
  }

  const set = (k: keyof SignUpValues) => (e: { target: { value: string } }) => setValues({ ...values, [k]: e.target.value });

  return (
    <>
      <h1>Create your account</h1>
      <form onSubmit={submit} noValidate>
        <FormError message={formError} />
        <Field label="Email" name="email" type="email" autoComplete="email" value={values.email} error={errors.email} onChange={set("email")} />
        <Field
          label="Username"
          name="username"
          autoComplete="username"
          hint="2–32 letters, digits, dots, dashes or underscores."
          value={values.username}
          error={errors.username}
          onChange={set("username")}
        />
        <Field
          label="Name shown to collaborators (optional)"
          name="display_name"
          autoComplete="name"
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint="At least 10 characters."
          value={values.password}
          error={errors.password}
          onChange={set("password")}
        />
        <button type="submit" className="button button--primary button--wide" disabled={busy}>
          {busy ? "Creating your account…" : "Create account"}
        </button>
      </form>
      <p className="auth-switch">
        Already have an account? <Link to="/signin">Sign in</Link>
      </p>
    </>
  );
}
