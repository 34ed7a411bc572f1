import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ImportPreview, type Preview } from "./ImportPreview";

const novel: Preview = {
  title: "The Orchard",
  content_type: "novel",
  word_count: 2412,
  warnings: ["2 images will not be imported."],
  chapters: [
    { chapter_number: 1, title: "Chapter One", word_count: 1200, opening: "The orchard was older than the house…" },
    { chapter_number: 2, title: "", word_count: 1212, opening: "In spring the blossom came down." },
  ],
};

function props(over: Partial<Parameters<typeof ImportPreview>[0]> = {}) {
  return {
    fileName: "orchard.docx",
    preview: novel,
    splitScenes: false,
    onSplitScenes: vi.fn(),
    refreshing: false,
    onImport: vi.fn(),
    importing: false,
    error: null,
    fieldError: null,
    onCancel: vi.fn(),
    ...over,
  };
}

describe("ImportPreview", () => {
  it("lists the chapters found with their word counts and opening words", () => {
    render(<ImportPreview {...props()} />);
    expect(screen.getByRole("heading", { name: "What will be imported" })).toHaveFocus();
    const rows = within(screen.getByRole("table")).getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent("Chapter One");
    expect(rows[1]).toHaveTextContent("1,200");
    expect(rows[1]).toHaveTextContent("The orchard was older than the house…");
    // An untitled chapter is named by its number.
    expect(rows[2]).toHaveTextContent("Chapter 2");
    expect(screen.getByText("2 chapters, 2,412 words")).toBeInTheDocument();
    expect(screen.getByText("Novel")).toBeInTheDocument();
    expect(screen.getByText("2 images will not be imported.")).toBeInTheDocument();
    // Splitting scenes is for scripts only.
    expect(screen.queryByRole("checkbox")).toBeNull();
  });

  it("imports with the title, genre and description the writer gives", async () => {
    const p = props();
    render(<ImportPreview {...p} />);
    const title = screen.getByLabelText("Title");
    expect(title).toHaveValue("The Orchard");
    await userEvent.clear(title);
    await userEvent.type(title, "Orchard Days");
    await userEvent.type(screen.getByLabelText("Genre (optional)"), "Literary");
    await userEvent.type(screen.getByLabelText("Description (optional)"), "Three summers.");
    await userEvent.click(screen.getByRole("button", { name: "Import" }));
    expect(p.onImport).toHaveBeenCalledWith({ title: "Orchard Days", genre: "Literary", description: "Three summers." });
  });

  it("offers a chapter per scene for scripts", async () => {
    const p = props({ preview: { ...novel, content_type: "screenplay", warnings: [] } });
    render(<ImportPreview {...p} />);
    expect(screen.getByText("Screenplay")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("checkbox", { name: "Start a new chapter at every scene heading" }));
    expect(p.onSplitScenes).toHaveBeenCalledWith(true);
  });

  it("shows a refused field next to it and keeps what was typed", () => {
    render(<ImportPreview {...props({ fieldError: { field: "title", message: "Title is too long." }, error: null })} />);
    const title = screen.getByLabelText("Title");
    expect(title).toHaveAttribute("aria-invalid", "true");
    expect(title).toHaveAccessibleDescription(expect.stringContaining("Title is too long."));
  });
});
