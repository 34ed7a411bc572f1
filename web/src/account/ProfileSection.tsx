import { useState, type FormEvent } from "react";
import { ApiError, messageOf } from "../api/errors";
import type { User } from "../api/session";
import { hasErrors, type FieldErrors } from "../auth/validation";
import { Field, TextAreaField } from "../ui/Field";
import { FormError } from "../ui/FormError";
import { useUpdateProfile, type ProfileUpdate } from "./queries";
import { validateProfile, type ProfileValues } from "./validation";

type Errors = FieldErrors<keyof ProfileValues>;

function valuesOf(user: User): ProfileValues {
  const p = user.profile;
  return {
    displayName: user.display_name,
    username: user.username,
    email: user.email,
    currentPassword: "",
    pronouns: p.pronouns ?? "",
    location: p.location ?? "",
    website: p.website ?? "",
    avatarUrl: p.avatar_url ?? "",
    bio: p.bio ?? "",
  };
}

function sameValues(a: ProfileValues, b: ProfileValues): boolean {
  return (Object.keys(a) as (keyof ProfileValues)[]).every((k) => a[k] === b[k]);
}

// The API's field names, mapped to the form's.
const fieldOf: Record<string, keyof ProfileValues> = {
  display_name: "displayName",
  username: "username",
  email: "email",
  current_password: "currentPassword",
  "profile.pronouns": "pronouns",
  "profile.location": "location",
  "profile.website": "website",
  "profile.avatar_url": "avatarUrl",
  "profile.bio": "bio",
};

function requestOf(v: ProfileValues, base: User): ProfileUpdate {
  const email = v.email.trim();
  const profile = Object.fromEntries(
    Object.entries({
      pronouns: v.pronouns.trim(),
      location: v.location.trim(),
      website: v.website.trim(),
      avatar_url: v.avatarUrl.trim(),
      bio: v.bio.trim(),
    }).filter(([, value]) => value !== ""),
  );
  return {
    version: base.version,
    display_name: v.displayName.trim(),
    username: v.username.trim(),
    profile,
    ...(email.toLowerCase() !== base.email ? { email, current_password: v.currentPassword } : {}),
  };
}

/** ProfileSection edits the writer's name, username, email and public profile. */
export function ProfileSection({ user, onConflict }: { user: User; onConflict: () => Promise<User | undefined> }) {
  const update = useUpdateProfile();
  // base is the account the form was filled from: its version guards against overwriting a change made elsewhere.
  const [base, setBase] = useState(user);
  const [values, setValues] = useState(() => valuesOf(user));
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [seen, setSeen] = useState(user);

  // A newer copy of the account arrived (after a password or two-step change, or a reload).
  if (user !== seen) {
    setSeen(user);
    if (user.version > base.version) {
      const untouched = sameValues(values, valuesOf(base));
      if (untouched) setValues(valuesOf(user));
      // Adopt its version unless it changed what this form edits: then saving is refused as a conflict.
      if (untouched || sameValues(valuesOf(base), valuesOf(user))) setBase(user);
    }
  }

  const emailChanged = values.email.trim().toLowerCase() !== base.email;

  function set<K extends keyof ProfileValues>(key: K, value: string) {
    setValues((v) => ({ ...v, [key]: value }));
    setSaved(false);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    setSaved(false);
    const found = validateProfile(values, emailChanged);
    setErrors(found);
    if (hasErrors(found)) return;
    try {
      const next = await update.mutateAsync(requestOf(values, base));
      setBase(next);
      setValues(valuesOf(next));
      setSaved(true);
    } catch (err) {
      const field = err instanceof ApiError && err.field ? fieldOf[err.field] : undefined;
      if (field) {
        setErrors({ [field]: messageOf(err) });
        return;
      }
      if (err instanceof ApiError && err.code === "VERSION_CONFLICT") {
        // Keep what was typed; the next save is based on the account as it is now.
        const fresh = await onConflict();
        if (fresh) setBase(fresh);
        setFormError(
          "Your account was changed somewhere else (another tab or device) since this page opened. Your changes are still here: check them and save again.",
        );
        return;
      }
      setFormError(messageOf(err));
    }
  }

  return (
    <section aria-labelledby="profile-heading" className="account-section">
      <h2 id="profile-heading">Profile</h2>
      <p className="account-section__lede">Your name and profile are what collaborators see when you share a story.</p>
      <form onSubmit={submit} noValidate>
        <FormError message={formError} />
        <div className="account-grid">
          <Field
            label="Display name"
            name="display_name"
            autoComplete="name"
            value={values.displayName}
            error={errors.displayName}
            onChange={(e) => set("displayName", e.target.value)}
          />
          <Field
            label="Username"
            name="username"
            autoComplete="username"
            spellCheck={false}
            value={values.username}
            error={errors.username}
            onChange={(e) => set("username", e.target.value)}
          />
          <Field
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            value={values.email}
            error={errors.email}
            onChange={(e) => set("email", e.target.value)}
          />
          {emailChanged && (
            <Field
              label="Current password"
              hint="Needed to change your email."
              name="current_password"
              type="password"
              autoComplete="current-password"
              value={values.currentPassword}
              error={errors.currentPassword}
              onChange={(e) => set("currentPassword", e.target.value)}
            />
          )}
          <Field
            label="Pronouns (optional)"
            name="pronouns"
            value={values.pronouns}
            error={errors.pronouns}
            onChange={(e) => set("pronouns", e.target.value)}
          />
          <Field
            label="Location (optional)"
            name="location"
            autoComplete="address-level2"
            value={values.location}
            error={errors.location}
            onChange={(e) => set("location", e.target.value)}
          />
          <Field
            label="Website (optional)"
            name="website"
            type="url"
            autoComplete="url"
            placeholder="https://"
            value={values.website}
            error={errors.website}
            onChange={(e) => set("website", e.target.value)}
          />
          <Field
            label="Picture address (optional)"
            hint="A link to an image of you (https://…)."
            name="avatar_url"
            type="url"
            value={values.avatarUrl}
            error={errors.avatarUrl}
            onChange={(e) => set("avatarUrl", e.target.value)}
          />
        </div>
        <TextAreaField
          label="About you (optional)"
          hint="A few lines for collaborators and readers; up to 2,000 characters."
          name="bio"
          rows={4}
          value={values.bio}
          error={errors.bio}
          onChange={(e) => set("bio", e.target.value)}
        />
        <div className="account-actions">
          <button type="submit" className="button button--primary" disabled={update.isPending}>
            {update.isPending ? "Saving…" : "Save profile"}
          </button>
          <p role="status" className="account-status">
            {saved ? "Profile saved." : ""}
          </p>
        </div>
      </form>
    </section>
  );
}
