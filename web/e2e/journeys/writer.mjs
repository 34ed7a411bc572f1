// The whole writer's journey, in one session, as the web app's brief lists it: sign
// up → create a novel → write in the editor → reload and see it saved → generate a
// scene with the offline writer and accept it → add a character → restore a version
// → export EPUB and download it → publish and open the reader view signed out. It
// strings together the steps the area journeys export, so each step is the same
// code its own journey tests in more detail.
import { addAndOpenChapter, api, createStory, expect, shot, signUp, waitSaved } from "../lib.mjs";
import { generateAndAccept } from "./ai.mjs";
import { addCharacter } from "./bible.mjs";
import { restoreVersion } from "./collab.mjs";
import { exportEpub, publishAndRead } from "./io.mjs";

/** plain is a stored document's text, one line per block. */
function plain(doc) {
  const text = (n) => (typeof n.text === "string" ? n.text : (n.children ?? []).map(text).join(""));
  return doc.map(text).join("\n");
}

async function writerJourney(page, base) {
  const user = { email: "whole-journey@example.com", username: "wholejourney", password: "the whole journey, end to end" };
  const first = "The ferry came in at dusk, its one lamp swinging.";
  await page.setViewportSize({ width: 1280, height: 800 });
  await signUp(page, base, user);
  await createStory(page, "Novel", "The Long Harbour");
  const storyUrl = page.url();
  const storyId = storyUrl.split("/").pop();

  // Write, then reload: the text is saved.
  const editor = await addAndOpenChapter(page, "Landfall");
  const chapterUrl = page.url();
  const chapterId = chapterUrl.split("/").pop();
  await editor.click();
  await page.keyboard.type(first);
  await waitSaved(page);
  await page.reload();
  await page.locator(".editor", { hasText: first }).waitFor();

  const session = await api(base, "POST", "/api/auth/login", { username: user.username, password: user.password });
  const stored = async () => api(base, "GET", `/api/chapters/${chapterId}`, null, session.access_token);

  // The offline writer continues the chapter; the writer accepts it.
  const generationId = await generateAndAccept(page);
  const withAi = await stored();
  const aiText = plain(withAi.content);
  expect(aiText.startsWith(first) && aiText.length > first.length + 20, `after Accept the chapter reads ${JSON.stringify(aiText)}`);
  expect(JSON.stringify(withAi.content).includes(`"ai":"${generationId}"`), "the accepted text does not carry the generation's ai mark");
  await shot(page, "writer-editor-accepted");

  // A character in the bible.
  await page.goto(storyUrl);
  await addCharacter(page, "Mara Quill", "Pilot of the night ferry; never sleeps before the last crossing.");
  const characters = await api(base, "GET", `/api/stories/${storyId}/characters`, null, session.access_token);
  expect(characters.some((c) => c.name === "Mara Quill"), "the character was not stored");
  await shot(page, "writer-bible");

  // Restore the version before the AI's text: accepting AI text starts a version of
  // its own (saves by one writer within minutes otherwise fold into one), so the
  // version just before the newest holds only what the writer typed.
  await page.goto(chapterUrl);
  await page.locator(".editor", { hasText: first }).waitFor();
  const versions = await api(base, "GET", `/api/chapters/${chapterId}/versions`, null, session.access_token);
  const items = versions.items ?? versions;
  expect(items.length >= 2, `the chapter has ${items.length} versions, want at least 2`);
  expect(/^Accepted AI text: Continue/.test(items[0].change_summary), `the newest version's summary is ${JSON.stringify(items[0].change_summary)}`);
  await restoreVersion(page, 1);
  await shot(page, "writer-versions-restored");
  const restored = await stored();
  expect(plain(restored.content) === first, `after the restore the chapter reads ${JSON.stringify(plain(restored.content))}, want only the typed sentence`);
  expect(restored.version > withAi.version, "restoring did not make a new version");
  await page.locator(".editor", { hasText: first }).waitFor();
  const editorText = (await page.locator(".editor").innerText()).trim();
  expect(editorText === first, `the editor shows ${JSON.stringify(editorText)} after the restore, want only the typed sentence`);
  // Write again, in a new paragraph, so there is text to export and read.
  const again = "At dawn the harbour was empty, and Mara counted the boats.";
  await page.locator('[contenteditable="true"].editor').click();
  await page.keyboard.press("Control+End");
  await page.keyboard.press("Enter");
  await page.keyboard.type(again);
  await waitSaved(page);

  // Mark the chapter completed (readers see only completed chapters), export, publish.
  await page.goto(storyUrl);
  await page.getByRole("button", { name: "Edit chapter Landfall" }).click();
  await page.getByRole("button", { name: "Mark completed" }).click();
  await page.getByRole("button", { name: "Mark as draft" }).waitFor();
  const file = await exportEpub(page);
  expect(file.endsWith(".epub"), `the export was saved as ${file}`);
  const readerUrl = await publishAndRead(page, base);

  // Signed out, the reader shows the chapter's text.
  await page.goto(`${readerUrl}/1`);
  await page.getByText(again).waitFor();
  await shot(page, "writer-reader-chapter");
}

export const journeys = [["writer: the whole journey from sign-up to the reader view", writerJourney]];
