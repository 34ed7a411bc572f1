import { lazy, Suspense } from "react";
import { Link, Route, Routes } from "react-router";
import { RedirectIfSignedIn, RequireAuth } from "../auth/RequireAuth";
import { SignInPage } from "../auth/SignInPage";
import { SignUpPage } from "../auth/SignUpPage";
import { DashboardPage } from "../stories/DashboardPage";
import { NewStoryPage } from "../stories/NewStoryPage";
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

// The editor (Plate and its plugins) is most of the app's code: load it when a chapter is opened.
const ChapterEditorPage = lazy(() => import("../editor/ChapterEditorPage").then((m) => ({ default: m.ChapterEditorPage })));

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
      <Route element={<RequireAuth />}>
        <Route element={<AppShell />}>
          <Route index element={<DashboardPage />} />
          <Route path="/stories/new" element={<NewStoryPage />} />
          <Route path="/stories/:storyId" element={<StoryPage />} />
          <Route path="/stories/:storyId/chapters/:chapterId" element={<EditorRoute />} />
        </Route>
      </Route>
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
