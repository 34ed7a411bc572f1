import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ExportFormat } from "./formats";
import { ExportPage } from "./ExportPage";
import type { Export } from "./progress";
import { sseResponse } from "../test/fakes";
import { EXPORT_ID, exportOf as exp, fakeApi, fail, ok, renderWith, route, story } from "./testkit";

const S = story();

const formats: ExportFormat[] = [
  { name: "pdf", media_type: "application/pdf", extension: ".pdf", prose: true, scripts: false, options: ["trim", "author"] },
  { name: "epub", media_type: "application/epub+zip", extension: ".epub", prose: true, scripts: true, options: ["author"] },
  { name: "fdx", media_type: "application/xml", extension: ".fdx", prose: false, scripts: true, options: ["author"] },
];

function sse(events: [string, Export][]): Response {
  const text = events.map(([name, e]) => `event: ${name}\ndata: ${JSON.stringify(e)}\n\n`).join("");
  // In two pieces, split inside an event, as a network would.
  return sseResponse([text.slice(0, 50), text.slice(50)]);
}

const done = exp({ status: "completed", progress: 100, file_size: 5120, download_url: `/api/exports/${EXPORT_ID}/download` });

describe("ExportPage", () => {
  let clicked: HTMLAnchorElement[] = [];
  beforeEach(() => {
    clicked = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    Object.assign(URL, { createObjectURL: vi.fn(() => "blob:export"), revokeObjectURL: vi.fn() });
  });
  afterEach(() => vi.useRealTimers());

  it("offers a novel's formats, shows the options a format reads, and sends only those", async () => {
    const fake = route({
      "GET /api/export/formats": () => ok(formats),
      [`GET /api/stories/${S.id}/exports`]: () => ok([]),
      "POST /api/export": () => ok(exp({ status: "completed", progress: 100, format: "pdf" }), 202),
    });
    renderWith(<ExportPage />, { api: fakeApi(fake), path: "/x", pattern: "/x", story: S });

    const radios = await screen.findAllByRole("radio");
    expect(radios.map((r) => r.getAttribute("value"))).toEqual(["epub", "pdf"]);
    expect(screen.queryByLabelText("Trim size")).toBeNull();
    await userEvent.click(screen.getByRole("radio", { name: /Print book/ }));
    await userEvent.selectOptions(screen.getByLabelText("Trim size"), "5.5x8.5");
    await userEvent.click(screen.getByRole("button", { name: "Export" }));
    await screen.findByText("Your file is ready.");
    const req = fake.calls.find((r) => r.method === "POST");
    expect(await req?.json()).toEqual({ story_id: S.id, format: "pdf", options: { trim: "5.5x8.5" } });
  });

  it("follows the export's events to completion and downloads the file under the server's name", async () => {
    const fake = route({
      "GET /api/export/formats": () => ok(formats),
      [`GET /api/stories/${S.id}/exports`]: () => ok([]),
      "POST /api/export": () => ok(exp(), 202),
      [`GET /api/exports/${EXPORT_ID}/events`]: () =>
        sse([
          ["progress", exp({ status: "processing", progress: 40 })],
          ["progress", done],
          ["end", done],
        ]),
      [`GET /api/exports/${EXPORT_ID}/download`]: () =>
        new Response(new TextEncoder().encode("PK"), {
          status: 200,
          headers: { "Content-Type": "application/epub+zip", "Content-Disposition": `attachment; filename="The Glass Tide.epub"` },
        }),
    });
    renderWith(<ExportPage />, { api: fakeApi(fake), path: "/x", pattern: "/x", story: S });
    await userEvent.click(await screen.findByRole("button", { name: "Export" }));

    const download = await screen.findByRole("button", { name: "Download" });
    expect(screen.getByRole("progressbar", { name: "Export progress" })).toHaveAttribute("aria-valuenow", "100");
    const events = fake.calls.find((r) => r.url.endsWith("/events"));
    expect(events?.headers.get("Authorization")).toBe("Bearer access-1");

    await userEvent.click(download);
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(clicked[0]?.download).toBe("The Glass Tide.epub");
    expect(clicked[0]?.href).toBe("blob:export");
  });

  it("polls when the event stream is unavailable, and says why an export failed", async () => {
    let polls = 0;
    const fake = route({
      "GET /api/export/formats": () => ok(formats),
      [`GET /api/stories/${S.id}/exports`]: () => ok([]),
      "POST /api/export": () => ok(exp(), 202),
      [`GET /api/exports/${EXPORT_ID}/events`]: () => fail(503, "UNAVAILABLE", "busy"),
      [`GET /api/exports/${EXPORT_ID}`]: () => {
        polls++;
        return ok(polls < 2 ? exp({ status: "processing", progress: 20 }) : exp({ status: "failed", error: "The story has no text to export." }));
      },
    });
    renderWith(<ExportPage />, { api: fakeApi(fake), path: "/x", pattern: "/x", story: S });
    await userEvent.click(await screen.findByRole("button", { name: "Export" }));
    expect(await screen.findByText(/The export failed: The story has no text to export\./, {}, { timeout: 4000 })).toBeInTheDocument();
    expect(polls).toBe(2);
    expect(screen.queryByRole("button", { name: "Download" })).toBeNull();
  });

  it("says when an identical export was reused, and lists earlier exports with downloads", async () => {
    const earlier = exp({ ...done, id: "44444444-4444-4444-8444-444444444444", options: { author: "Jo" } });
    const fake = route({
      "GET /api/export/formats": () => ok(formats),
      [`GET /api/stories/${S.id}/exports`]: () => ok([earlier, exp({ id: "55555555-5555-4555-8555-555555555555", status: "failed", error: "Out of disk." })]),
      "POST /api/export": () => ok({ ...done, reused: true }),
    });
    renderWith(<ExportPage />, { api: fakeApi(fake), path: "/x", pattern: "/x", story: S });
    const list = await screen.findByRole("list");
    expect(within(list).getByText(/by Jo · 5 KB/)).toBeInTheDocument();
    expect(within(list).getByText("Out of disk.")).toBeInTheDocument();
    expect(within(list).getAllByRole("button", { name: /^Download EPUB e-book from / })).toHaveLength(1);

    await userEvent.click(screen.getByRole("button", { name: "Export" }));
    expect(await screen.findByText(/has not changed since the export of/)).toBeInTheDocument();
  });

  it("shows a refused option next to its field", async () => {
    const fake = route({
      "GET /api/export/formats": () => ok(formats),
      [`GET /api/stories/${S.id}/exports`]: () => ok([]),
      "POST /api/export": () => fail(400, "VALIDATION_FAILED", "author is too long", "options.author"),
    });
    renderWith(<ExportPage />, { api: fakeApi(fake), path: "/x", pattern: "/x", story: S });
    await userEvent.type(await screen.findByLabelText("Author name"), "Jo");
    await userEvent.click(screen.getByRole("button", { name: "Export" }));
    await waitFor(() => expect(screen.getByLabelText("Author name")).toHaveAttribute("aria-invalid", "true"));
    expect(screen.getByLabelText("Author name")).toHaveValue("Jo");
    expect(screen.getByRole("button", { name: "Export" })).toBeEnabled();
  });
});
