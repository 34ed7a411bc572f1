import { useEffect, useRef } from "react";

/** FormError is the message above a form's button when submitting it failed; it takes focus so it is read out. */
export function FormError({ message }: { message: string | null }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (message) ref.current?.focus();
  }, [message]);
  if (!message) return null;
  return (
    <div className="form-error" role="alert" tabIndex={-1} ref={ref}>
      {message}
    </div>
  );
}
