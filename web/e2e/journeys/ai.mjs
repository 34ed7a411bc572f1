import { addAndOpenChapter, api, createStory, expect, shot, signUp, waitSaved } from "../lib.mjs";

/** aiLeaves returns the text leaves of a stored document that carry an `ai` mark. */
function aiLeaves(doc) {
  return doc.flatMap((b) => b.children.flatMap((c) => (c.type === "a" ? c.children : [c]))).filter((t) => typeof t.ai === "string");
}

/** runContinue opens the AI tab, runs Continue and waits for the suggestion in the text. */
async function runContinue(page) {
  await page.getByRole("tab", { name: "AI" }).click();
  await page.getByRole("radio", { name: "Continue" }).check();
  await page.getByRole("button", { name: "Generate" }).click();
  await page.getByText("Suggestion ready in the text: accept or reject it.").waitFor();
  await page.locator(".editor ins.doc-suggestion").first().waitFor();
  return page.locator(".ai-result").getAttribute("data-generation-id");
}

/**
 * generateAndAccept, on an open chapter editor: opens the AI tab, runs Continue,
 * accepts the suggestion and waits for it to be saved; it returns the generation id.
 */
export async function generateAndAccept(page) {
  const id = await runContinue(page);
  await page.getByRole("button", { name: "Accept" }).click();
  await page.getByText("Accepted: the text is yours now and will be saved.").waitFor();
  await waitSaved(page);
  expect(await page.locator(".editor ins.doc-suggestion").count() === 0, "the suggestion is still marked after Accept");
  return id;
}

async function offlineGenerateAndAccept(page, base) {
  const stamp = Date.now().toString(36);
  const user = { email: `ai-${stamp}@example.com`, username: `ai${stamp}`, password: "a long enough passphrase" };
  await page.setViewportSize({ width: 1280, height: 800 });
  await signUp(page, base, user);
  await createStory(page, "Novel", "The Harbour");
  const editor = await addAndOpenChapter(page, "Fog");
  const chapterUrl = page.url();
  const chapterId = /\/chapters\/([0-9a-f-]{36})/.exec(chapterUrl)?.[1];
  expect(chapterId, `no chapter id in ${chapterUrl}`);
  await editor.click();
  await page.keyboard.type("The harbour lay quiet under the lamps.");
  await waitSaved(page);

  const session = await api(base, "POST", "/api/auth/login", { username: user.username, password: user.password });
  const stored = async () => (await api(base, "GET", `/api/chapters/${chapterId}`, null, session.access_token)).content;
  const before = await stored();

  // Reject: the text is as it was, nothing of the suggestion saved.
  await runContinue(page);
  await page.getByText("Offline writer: placeholder text, no AI model was called.").first().waitFor();
  await shot(page, "ai-editor-suggestion");
  await page.waitForTimeout(2000); // longer than the autosave's pause: a pending suggestion must not be saved
  expect(JSON.stringify(await stored()) === JSON.stringify(before), "a pending suggestion was saved");
  await page.getByRole("button", { name: "Reject" }).click();
  await page.getByText("Rejected: the suggestion is gone.").waitFor();
  await page.waitForTimeout(2000);
  expect(JSON.stringify(await stored()) === JSON.stringify(before), "the text changed after Reject");
  expect(await page.locator(".editor ins.doc-suggestion").count() === 0, "the suggestion is still shown after Reject");

  // The prompt inspector.
  await page.getByRole("button", { name: "What the AI will read" }).click();
  const dialog = page.getByRole("dialog", { name: /What the AI will read/ });
  await dialog.getByRole("table", { name: "What the prompt holds" }).waitFor();
  await shot(page, "ai-prompt-inspector");
  await dialog.getByRole("button", { name: "Close" }).click();

  // Accept: the stored text carries the generation's id on the AI's words.
  const generationId = await generateAndAccept(page);
  expect(/^[0-9a-f-]{36}$/.test(generationId ?? ""), `generation id ${generationId}`);
  const after = await stored();
  const leaves = aiLeaves(after);
  expect(leaves.length > 0, `no ai-marked text in ${JSON.stringify(after)}`);
  expect(leaves.every((t) => t.ai === generationId), `ai marks ${JSON.stringify(leaves.map((t) => t.ai))}, want ${generationId}`);
  expect(JSON.stringify(after).includes("The harbour lay quiet under the lamps."), "the writer's sentence is gone");

  // The story's AI history, with this month's usage.
  await page.getByRole("link", { name: "All of this story's AI history" }).click();
  await page.getByRole("heading", { name: "Your AI use this month" }).waitFor();
  await page.getByRole("table").waitFor();
  const rows = await page.locator(".history-table tbody tr").count();
  expect(rows === 2, `history lists ${rows} generations, want 2`);
  await shot(page, "ai-history");
  await page.getByRole("button", { name: /^Open/ }).first().click();
  await page.getByRole("dialog").getByRole("heading", { name: "What it wrote" }).waitFor();
  await shot(page, "ai-history-detail");
  await page.getByRole("dialog").getByRole("button", { name: "Close" }).click();

  // A tablet in portrait: the panel goes below the text.
  await page.setViewportSize({ width: 820, height: 1180 });
  await page.goto(chapterUrl);
  await page.locator('[contenteditable="true"].editor').waitFor();
  await page.getByRole("tab", { name: "AI" }).waitFor();
  await shot(page, "ai-editor-tablet");
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function sceneJourney(page, base) {
  const stamp = Date.now().toString(36);
  const user = { email: `ai-scene-${stamp}@example.com`, username: `aiscene${stamp}`, password: "a long enough passphrase" };
  await page.setViewportSize({ width: 1280, height: 800 });
  await signUp(page, base, user);
  await createStory(page, "Novel", "The Pier");
  await addAndOpenChapter(page, "Night");
  const storyId = /\/stories\/([0-9a-f-]{36})/.exec(page.url())?.[1];
  const chapterId = /\/chapters\/([0-9a-f-]{36})/.exec(page.url())?.[1];
  const session = await api(base, "POST", "/api/auth/login", { username: user.username, password: user.password });
  const scene = await api(
    base,
    "POST",
    `/api/chapters/${chapterId}/scenes`,
    { title: "The pier", card: { goal: "Mara waits for the boat", beats: ["The boat is late", "A stranger arrives"], target_words: 300 } },
    session.access_token,
  );

  // The chapter lists its scenes; a scene opens in the same editor.
  await page.reload();
  await page.getByRole("navigation", { name: "Scenes of this chapter" }).getByRole("link", { name: "1. The pier" }).click();
  await page.getByRole("heading", { name: "Scene 1: The pier" }).waitFor();
  const crumbs = await page.getByRole("navigation", { name: "Breadcrumb" }).innerText();
  expect(crumbs.includes("The Pier") && crumbs.includes("Chapter 1: Night") && crumbs.includes("Scene 1: The pier"), `crumbs ${crumbs}`);
  expect(page.url().endsWith(`/stories/${storyId}/scenes/${scene.id}`), page.url());
  const editor = page.locator('[contenteditable="true"].editor');
  await editor.click();
  await page.keyboard.type("Mara counted the lights on the water.");
  await waitSaved(page);

  // Write the scene from its card, and accept it.
  await page.getByRole("radio", { name: "Write the scene" }).check();
  await page.getByRole("button", { name: "Generate" }).click();
  await page.getByRole("button", { name: "Accept" }).click();
  await waitSaved(page);
  const stored = await api(base, "GET", `/api/scenes/${scene.id}`, null, session.access_token);
  const text = JSON.stringify(stored.content);
  expect(text.includes("Mara counted the lights on the water."), `scene text ${text}`);
  expect(aiLeaves(stored.content).length > 0, `no ai-marked text in the scene: ${text}`);
  const chapter = await api(base, "GET", `/api/chapters/${chapterId}`, null, session.access_token);
  expect(!JSON.stringify(chapter.content).includes("Mara counted"), "the scene's text went into the chapter");
}

export const journeys = [
  ["ai: generate with the offline writer and accept", offlineGenerateAndAccept],
  ["ai: write a scene from its card", sceneJourney],
];
