import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { fail, fakeApi, ok, renderWith, route } from "../exports/testkit";
import { story } from "../exports/testkit";
import { ImportPage } from "./ImportPage";
import { uploadManuscript, type UploadedFile } from "./upload";

vi.mock("./upload", async (importOriginal) => {
  const real = await importOriginal<typeof import("./upload")>();
  return { ...real, uploadManuscript: vi.fn() };
});

const FILE_ID = "22222222-2222-4222-8222-222222222222";
const uploaded: UploadedFile = {
  id: FILE_ID,
  name: "orchard.md",
  size: 120,
  media_type: "text/markdown",
  purpose: "import",
  story_id: null,
  sha256: "ab",
  url: `/api/files/${FILE_ID}`,
  created_at: "2026-11-28T10:00:00Z",
};

const preview = {
  title: "orchard",
  content_type: "novel",
  word_count: 26,
  warnings: [],
  chapters: [
    { chapter_number: 1, title: "Chapter One", word_count: 15, opening: "The orchard was older…" },
    { chapter_number: 2, title: "Chapter Two", word_count: 11, opening: "In spring…" },
  ],
};

const md = () => new File(["# Chapter One\n\nThe orchard.\n\n# Chapter Two\n\nIn spring.\n"], "orchard.md", { type: "text/markdown" });

describe("ImportPage", () => {
  beforeEach(() => {
    vi.mocked(uploadManuscript).mockReset();
  });

  it("uploads, previews and imports a manuscript, then opens the new story", async () => {
    vi.mocked(uploadManuscript).mockImplementation((_api, _file, onProgress) => {
      onProgress(0.5);
      return Promise.resolve(uploaded);
    });
    const fake = route({
      "POST /api/imports/preview": () => ok(preview),
      "POST /api/imports": () => ok(story({ title: "The Orchard" }), 201),
    });
    renderWith(<ImportPage />, { api: fakeApi(fake), path: "/import", pattern: "/import" });

    await userEvent.upload(screen.getByLabelText("Manuscript file"), md());
    expect(await screen.findByText("Chapter One")).toBeInTheDocument();
    expect(screen.getByText("Chapter Two")).toBeInTheDocument();
    const previewReq = fake.calls.find((r) => r.url.endsWith("/api/imports/preview"));
    expect(await previewReq?.json()).toEqual({ file_id: FILE_ID, split_scenes: false });

    await userEvent.clear(screen.getByLabelText("Title"));
    await userEvent.type(screen.getByLabelText("Title"), "The Orchard");
    await userEvent.click(screen.getByRole("button", { name: "Import" }));
    expect(await screen.findByText("Story page")).toBeInTheDocument();
    const importReq = fake.calls.find((r) => r.url.endsWith("/api/imports"));
    expect(await importReq?.json()).toEqual({ file_id: FILE_ID, split_scenes: false, title: "The Orchard" });
  });

  it("refuses a file over 20 MB before sending it", async () => {
    renderWith(<ImportPage />, { api: fakeApi(route({})), path: "/import", pattern: "/import" });
    const big = new File(["x"], "huge.docx");
    Object.defineProperty(big, "size", { value: 21 * 1024 * 1024 });
    await userEvent.upload(screen.getByLabelText("Manuscript file"), big);
    expect(await screen.findByRole("alert")).toHaveTextContent("at most 20 MB");
    expect(uploadManuscript).not.toHaveBeenCalled();
  });

  it("says in words why a file is not a manuscript, and lets the writer choose another", async () => {
    vi.mocked(uploadManuscript).mockResolvedValue(uploaded);
    const fake = route({
      "POST /api/imports/preview": () => fail(415, "UNSUPPORTED_MEDIA_TYPE", "this file is a PNG image, not a manuscript"),
    });
    renderWith(<ImportPage />, { api: fakeApi(fake), path: "/import", pattern: "/import" });
    await userEvent.upload(screen.getByLabelText("Manuscript file"), md());
    expect(await screen.findByRole("alert")).toHaveTextContent("This file is a PNG image, not a manuscript.");
    await waitFor(() => expect(screen.getByLabelText("Manuscript file")).toBeEnabled());
    expect(screen.getByLabelText("Manuscript file")).toHaveAttribute("aria-invalid", "true");
  });
});
