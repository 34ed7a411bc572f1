import { lazy, Suspense, type ComponentType } from "react";
import { Link, Route, Routes } from "react-router";
import { AccountPage } from "../account/AccountPage";
import { HistoryPage } from "../ai/HistoryPage";
import { RedirectIfSignedIn, RequireAuth } from "../auth/RequireAuth";
import { SignInPage } from "../auth/SignInPage";
import { SignUpPage } from "../auth/SignUpPage";
import { BiblePage } from "../bible/BiblePage";
import { CollaboratorsPage } from "../collaborators/CollaboratorsPage";
import { ExportPage } from "../exports/ExportPage";
import { ImportPage } from "../imports/ImportPage";
import { PipelinePage } from "../pipeline/PipelinePage";
import { PublishPage } from "../publish/PublishPage";
import { ReaderPage } from "../reader/ReaderPage";
import { DashboardPage } from "../stories/DashboardPage";
import { NewStoryPage } from "../stories/NewStoryPage";
import { StoryLayout } from "../stories/StoryLayout";
import { StoryPage } from "../stories/StoryPage";
import { AppShell, AuthShell } from "../ui/AppShell";
import { Notice } from "../ui/Notice";

function NotFound() {
  return (
    <Notice>
      There is no page here. <Link to="/">Go to your stories</Link>
    </Notice>
  );
}

// The editor (Plate and its plugins) is most of the app's code: load it when a chapter or scene is opened.
const ChapterEditorPage = lazy(() => import("../editor/ChapterEditorPage").then((m) => ({ default: m.ChapterEditorPage as ComponentType })));

function EditorRoute() {
  return (
    <Suspense fallback={<p role="status">Opening the editor…</p>}>
      <ChapterEditorPage />
    </Suspense>
  );
}

/** AppRoutes maps every client-side URL to its screen; the server answers each with index.html. */
export function AppRoutes() {
  return (
    <Routes>
      <Route element={<RedirectIfSignedIn />}>
        <Route element={<AuthShell />}>
          <Route path="/signin" element={<SignInPage />} />
          <Route path="/signup" element={<SignUpPage />} />
        </Route>
      </Route>
      {/* Published stories, readable signed out at a shareable URL. */}
      <Route path="/read/:storyId" element={<ReaderPage />} />
      <Route path="/read/:storyId/:chapterNumber" element={<ReaderPage />} />
      <Route element={<RequireAuth />}>
        <Route element={<AppShell />}>
          <Route index element={<DashboardPage />} />
          <Route path="/account" element={<AccountPage />} />
          <Route path="/import" element={<ImportPage />} />
          <Route path="/stories/new" element={<NewStoryPage />} />
          <Route path="/stories/:storyId" element={<StoryLayout />}>
            <Route index element={<StoryPage />} />
            <Route path="bible" element={<BiblePage />} />
            <Route path="pipeline" element={<PipelinePage />} />
            <Route path="history" element={<HistoryPage />} />
            <Route path="collaborators" element={<CollaboratorsPage />} />
            <Route path="export" element={<ExportPage />} />
            <Route path="publish" element={<PublishPage />} />
          </Route>
          <Route path="/stories/:storyId/chapters/:chapterId" element={<EditorRoute />} />
          <Route path="/stories/:storyId/scenes/:sceneId" element={<EditorRoute />} />
        </Route>
      </Route>
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
