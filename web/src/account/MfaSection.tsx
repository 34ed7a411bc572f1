import { useEffect, useRef, useState, type FormEvent } from "react";
import { messageOf } from "../api/errors";
import { validateMfaCode } from "../auth/validation";
import { Field } from "../ui/Field";
import { FormError } from "../ui/FormError";
import { groupSecret, parseOtpauth } from "./otpauth";
import { QrCode } from "./QrCode";
import { useEnrollMfa, useSetMfa, type Enrollment } from "./queries";

/** CodeForm asks for the current authenticator code and sends it. */
function CodeForm({
  submitLabel,
  busyLabel,
  onSubmit,
  onCancel,
  busy,
}: {
  submitLabel: string;
  busyLabel: string;
  onSubmit: (code: string) => Promise<void>;
  onCancel: () => void;
  busy: boolean;
}) {
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | undefined>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const bad = validateMfaCode(code);
    setError(bad);
    if (bad) return;
    try {
      await onSubmit(code.replace(/\s/g, ""));
    } catch (err) {
      setError(messageOf(err));
    }
  }

  return (
    <form onSubmit={submit} noValidate className="mfa-code">
      <Field
        label="Code from your authenticator app"
        hint="6 digits; a new one appears every 30 seconds."
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9 ]*"
        maxLength={7}
        value={code}
        error={error}
        onChange={(e) => setCode(e.target.value)}
      />
      <div className="account-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
        <button type="button" className="button button--quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Setup shows the new secret as a QR code and as a typed key, then asks for a first code. */
function Setup({ enrollment, onDone, onCancel }: { enrollment: Enrollment; onDone: () => void; onCancel: () => void }) {
  const confirm = useSetMfa("confirm");
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const params = parseOtpauth(enrollment.otpauth_uri);
  const grouped = groupSecret(enrollment.secret);

  useEffect(() => heading.current?.focus(), []);

  async function copyKey() {
    try {
      await navigator.clipboard.writeText(enrollment.secret);
      setCopied("Key copied.");
    } catch {
      setCopied("Copying is blocked here: select the key and copy it.");
    }
  }

  return (
    <div className="mfa-setup">
      <h3 ref={heading} tabIndex={-1}>
        Set up your authenticator app
      </h3>
      <ol className="mfa-steps">
        <li>
          <p>
            Open an authenticator app on your phone (such as Google Authenticator, Microsoft Authenticator, 1Password or
            Aegis) and scan this code.
          </p>
          <QrCode text={enrollment.otpauth_uri} alt="QR code for adding AuthorWorks to an authenticator app" />
        </li>
        <li>
          <p>Can't scan it? Add an account by hand with this key:</p>
          <p className="mfa-key">
            <code className="mfa-key__value">{grouped}</code>
            <button type="button" className="button" onClick={() => void copyKey()}>
              Copy key
            </button>
          </p>
          <p className="account-status" role="status">
            {copied ?? ""}
          </p>
          <p className="field__hint">
            {params
              ? `Account: ${params.account || "your AuthorWorks account"}. Type: time-based, ${params.digits} digits, every ${params.period} seconds.`
              : "Type: time-based, 6 digits, every 30 seconds."}
          </p>
          <p className="mfa-warning">
            AuthorWorks has no recovery codes. Store this key somewhere safe, such as a password manager: it is the only
            way to add AuthorWorks to a new phone if you lose this one.
          </p>
        </li>
        <li>
          <p>Type the code the app shows to finish.</p>
          <CodeForm
            submitLabel="Turn on two-step sign-in"
            busyLabel="Checking…"
            busy={confirm.isPending}
            onSubmit={async (code) => {
              await confirm.mutateAsync(code);
              onDone();
            }}
            onCancel={onCancel}
          />
        </li>
      </ol>
    </div>
  );
}

type Step = "idle" | "setup" | "disable";

/** MfaSection turns two-step sign-in (an authenticator app's codes) on and off. */
export function MfaSection({ enabled }: { enabled: boolean }) {
  const enroll = useEnrollMfa();
  const disable = useSetMfa("disable");
  const [step, setStep] = useState<Step>("idle");
  const [result, setResult] = useState("");
  const [error, setError] = useState<string | null>(null);

  async function start() {
    setError(null);
    setResult("");
    try {
      await enroll.mutateAsync();
      setStep("setup");
    } catch (err) {
      setError(messageOf(err));
    }
  }

  return (
    <section aria-labelledby="mfa-heading" className="account-section">
      <h2 id="mfa-heading">Two-step sign-in</h2>
      <p className="account-section__lede">
        {enabled ? (
          <>
            <span className="badge badge--completed">On</span> Signing in asks for your password and a code from your
            authenticator app.
          </>
        ) : (
          <>
            <span className="badge">Off</span> Add a code from an authenticator app to your password, so a stolen
            password alone cannot open your stories.
          </>
        )}
      </p>
      <p role="status" className="account-status">
        {result}
      </p>
      <FormError message={error} />
      {step === "setup" && enroll.data && !enabled ? (
        <Setup
          enrollment={enroll.data}
          onDone={() => {
            setStep("idle");
            setResult("Two-step sign-in is on. Next time you sign in, have your authenticator app ready.");
          }}
          onCancel={() => setStep("idle")}
        />
      ) : step === "disable" && enabled ? (
        <>
          <p>To turn it off, enter a current code from your authenticator app.</p>
          <CodeForm
            submitLabel="Turn off two-step sign-in"
            busyLabel="Turning off…"
            busy={disable.isPending}
            onSubmit={async (code) => {
              await disable.mutateAsync(code);
              setStep("idle");
              setResult("Two-step sign-in is off. Signing in now needs only your password.");
            }}
            onCancel={() => setStep("idle")}
          />
        </>
      ) : enabled ? (
        <button
          type="button"
          className="button"
          onClick={() => {
            setResult("");
            setStep("disable");
          }}
        >
          Turn off two-step sign-in
        </button>
      ) : (
        <button type="button" className="button button--primary" disabled={enroll.isPending} onClick={() => void start()}>
          {enroll.isPending ? "Starting…" : "Turn on two-step sign-in"}
        </button>
      )}
    </section>
  );
}
