import { fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { ConfirmDialog } from "./ConfirmDialog";

function Asking(props: { danger?: boolean; busy?: boolean; error?: string | null; onConfirm?: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Delete…
      </button>
      {open && (
        <ConfirmDialog
          title="Delete the chapter?"
          confirmLabel="Delete chapter"
          busyLabel="Deleting…"
          cancelLabel="Keep it"
          danger={props.danger}
          busy={props.busy}
          error={props.error}
          onConfirm={props.onConfirm ?? (() => setOpen(false))}
          onCancel={() => setOpen(false)}
        >
          <p>This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

describe("ConfirmDialog", () => {
  it("opens as a dialog named by its title, with the focus on the safe choice of a destructive action", async () => {
    render(<Asking danger />);
    await userEvent.click(screen.getByRole("button", { name: "Delete…" }));
    const dialog = screen.getByRole("dialog", { name: "Delete the chapter?" });
    expect(dialog).toHaveAccessibleDescription("This cannot be undone.");
    expect(screen.getByRole("button", { name: "Keep it" })).toHaveFocus();
    expect(screen.getByRole("button", { name: "Delete chapter" })).toHaveClass("button--danger");
  });

  it("puts the focus on the confirm button when nothing is destroyed", async () => {
    render(<Asking />);
    await userEvent.click(screen.getByRole("button", { name: "Delete…" }));
    expect(screen.getByRole("button", { name: "Delete chapter" })).toHaveFocus();
    expect(screen.getByRole("button", { name: "Delete chapter" })).toHaveClass("button--primary");
  });

  it("cancels on Escape and gives the focus back to the button that opened it", async () => {
    render(<Asking danger />);
    await userEvent.click(screen.getByRole("button", { name: "Delete…" }));
    fireEvent(screen.getByRole("dialog"), new Event("cancel", { cancelable: true }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Delete…" })).toHaveFocus();
  });

  it("calls onConfirm from the confirm button", async () => {
    const onConfirm = vi.fn();
    render(<Asking danger onConfirm={onConfirm} />);
    await userEvent.click(screen.getByRole("button", { name: "Delete…" }));
    await userEvent.click(screen.getByRole("button", { name: "Delete chapter" }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it("while busy shows the busy words, disables both buttons and ignores Escape; shows the error", async () => {
    render(<Asking danger busy error="The server could not be reached." />);
    await userEvent.click(screen.getByRole("button", { name: "Delete…" }));
    expect(screen.getByRole("button", { name: "Deleting…" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Keep it" })).toBeDisabled();
    fireEvent(screen.getByRole("dialog"), new Event("cancel", { cancelable: true }));
    expect(screen.getByRole("dialog")).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("The server could not be reached.");
  });
});
