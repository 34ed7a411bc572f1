import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { ApiError, messageOf } from "../api/errors";
import { Field } from "../ui/Field";
import { FormError } from "../ui/FormError";
import { useAuth } from "./AuthContext";
import { hasErrors, validateMfaCode, validateSignIn, type FieldErrors, type SignInValues } from "./validation";

function destination(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from;
  return typeof from === "string" && from.startsWith("/") && !from.startsWith("//") ? from : "/";
}

/** SignInPage signs a writer in with a password, then an authenticator code when the account asks for one. */
export function SignInPage() {
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [values, setValues] = useState<SignInValues>({ identifier: "", password: "" });
  const [errors, setErrors] = useState<FieldErrors<keyof SignInValues>>({});
  const [needsCode, setNeedsCode] = useState(false);
  const [code, setCode] = useState("");
  const [codeError, setCodeError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    // The code step replaces the form: move focus to its heading so it is read out.
    if (needsCode) heading.current?.focus();
  }, [needsCode]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const found = validateSignIn(values);
    setErrors(found);
    const badCode = needsCode ? validateMfaCode(code) : undefined;
    setCodeError(badCode);
    if (hasErrors(found) || badCode) return;
    setBusy(true);
    try {
      await signIn({ ...values, mfaCode: needsCode ? code.replace(/\s/g, "") : undefined });
      navigate(destination(location.state), { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.code === "MFA_REQUIRED") {
        setNeedsCode(true);
      } else if (err instanceof ApiError && err.code === "MFA_INVALID") {
        setCodeError("That code did not work. Codes change every 30 seconds and work once — try the current one.");
      } else if (err instanceof ApiError && err.code === "UNAUTHORIZED") {
        setFormError("That email, username or password is not right. Check them and try again.");
      } else {
        setFormError(messageOf(err));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        {needsCode ? "Enter your code" : "Sign in"}
      </h1>
      <form onSubmit={submit} noValidate>
        <FormError message={formError} />
        {needsCode ? (
          <Field
            label="Authenticator code"
            hint="Open your authenticator app and type the 6-digit code it shows for AuthorWorks."
            name="mfa_code"
            inputMode="numeric"
            autoComplete="one-time-code"
            value={code}
            error={codeError}
            onChange={(e) => setCode(e.target.value)}
          />
        ) : (
          <>
            <Field
              label="Email or username"
              name="identifier"
              autoComplete="username"
              value={values.identifier}
              error={errors.identifier}
              onChange={(e) => setValues({ ...values, identifier: e.target.value })}
            />
            <Field
              label="Password"
              name="password"
              type="password"
              autoComplete="current-password"
              value={values.password}
              error={errors.password}
              onChange={(e) => setValues({ ...values, password: e.target.value })}
            />
          </>
        )}
        <button type="submit" className="button button--primary button--wide" disabled={busy}>
          {busy ? "Signing in…" : needsCode ? "Verify and sign in" : "Sign in"}
        </button>
        {needsCode && (
          <button
            type="button"
            className="button button--quiet button--wide"
            onClick={() => {
              setNeedsCode(false);
              setCode("");
              setCodeError(undefined);
            }}
          >
            Back
          </button>
        )}
      </form>
      <p className="auth-switch">
        New to AuthorWorks? <Link to="/signup">Create an account</Link>
      </p>
    </>
  );
}
