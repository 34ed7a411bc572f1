import { useId } from "react";
import { Field, TextAreaField } from "../ui/Field";
import { fontChoices, paperChoices, trimChoices, type ExportFormat, type OptionValues } from "./formats";

interface Props {
  format: ExportFormat;
  values: OptionValues;
  onChange(v: OptionValues): void;
  /** An option the server refused, by its `field` (options.trim, options.contact.email…). */
  fieldError: { field: string; message: string } | null;
}

function SelectField<V extends string>(props: {
  label: string;
  hint?: string;
  value: V;
  choices: { value: V; label: string }[];
  error?: string | undefined;
  onChange(v: V): void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.hint && (
        <p className="field__hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      <select
        id={id}
        className="select"
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={[props.hint ? `${id}-hint` : "", props.error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined}
        onChange={(e) => {
          const v = props.choices.find((c) => c.value === e.target.value);
          if (v) props.onChange(v.value);
        }}
      >
        {props.choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      {props.error && (
        <p className="field__error" id={`${id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** ExportOptionsFields shows the options the chosen format reads, and only those. */
export function ExportOptionsFields({ format, values, onChange, fieldError }: Props) {
  const reads = new Set(format.options);
  const err = (name: string) =>
    fieldError && (fieldError.field === `options.${name}` || fieldError.field.startsWith(`options.${name}.`)) ? fieldError.message : undefined;
  const set = <K extends keyof OptionValues>(k: K, v: OptionValues[K]) => onChange({ ...values, [k]: v });
  if (reads.size === 0) return null;
  return (
    <fieldset className="export__options">
      <legend className="export__legend">Options</legend>
      <div className="export__option-grid">
        {reads.has("trim") && (
          <SelectField label="Trim size" hint="The printed page size." value={values.trim} choices={trimChoices} error={err("trim")} onChange={(v) => set("trim", v)} />
        )}
        {reads.has("paper") && (
          <SelectField label="Paper" value={values.paper} choices={paperChoices} error={err("paper")} onChange={(v) => set("paper", v)} />
        )}
        {reads.has("font") && (
          <SelectField label="Font" value={values.font} choices={fontChoices} error={err("font")} onChange={(v) => set("font", v)} />
        )}
        {reads.has("author") && (
          <Field
            label="Author name"
            hint="Leave empty to use your display name."
            value={values.author}
            maxLength={200}
            error={err("author")}
            onChange={(e) => set("author", e.target.value)}
          />
        )}
      </div>
      {reads.has("contact") && (
        <details className="export__contact" open={Boolean(err("contact"))}>
          <summary>Contact block (first page)</summary>
          <p className="field__hint">Leave empty to use your account&apos;s name and email.</p>
          <div className="export__option-grid">
            <Field label="Legal name" value={values.contactName} error={err("contact.name")} onChange={(e) => set("contactName", e.target.value)} />
            <Field
              label="Email"
              type="email"
              value={values.contactEmail}
              error={err("contact.email")}
              onChange={(e) => set("contactEmail", e.target.value)}
            />
            <Field label="Phone" type="tel" value={values.contactPhone} error={err("contact.phone")} onChange={(e) => set("contactPhone", e.target.value)} />
            <TextAreaField
              label="Address"
              hint="One line per line of the address, up to 6."
              rows={3}
              value={values.contactAddress}
              error={err("contact.address")}
              onChange={(e) => set("contactAddress", e.target.value)}
            />
          </div>
          {fieldError?.field === "options.contact" && <p className="field__error">{fieldError.message}</p>}
        </details>
      )}
    </fieldset>
  );
}
